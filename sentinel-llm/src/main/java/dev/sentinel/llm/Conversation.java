package dev.sentinel.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.trace.RequestIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One task (an analysis or a plan) worked with one provider: the model calls tools, reads their
 * observations and reasons, until it answers. Bounded by the step limit and the budgets, checked
 * before every call; an answer that does not validate is returned to the model once with the
 * reason. Not thread-safe: one conversation per task.
 */
final class Conversation {

  /**
   * How much longer than the provider's timeout a call may take before it is abandoned, at least:
   * the client's own timeout, with its clearer message, should come first, and on a busy machine
   * starting a call (a thread, a connection) alone can take a good part of a second.
   */
  private static final long CLIENT_TIMEOUT_FIRST_MILLIS = 2_000;

  private final ProviderSettings provider;
  private final ChatModel model;
  private final Toolbox toolbox;
  private final Spending spending;
  private final int maxSteps;
  private Spending.Tally tally = Spending.Tally.NONE;

  Conversation(
      ProviderSettings provider,
      ChatModel model,
      Toolbox toolbox,
      Spending spending,
      int maxSteps) {
    this.provider = provider;
    this.model = model;
    this.toolbox = toolbox;
    this.spending = spending;
    this.maxSteps = maxSteps;
  }

  /** What this conversation cost so far. */
  Spending.Tally tally() {
    return tally;
  }

  <T> T run(CaseFile file, String system, String task, AnswerReader<T> reader) {
    String incidentId = file.incident().id();
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(SystemMessage.from(system));
    messages.add(UserMessage.from(task));
    boolean corrected = false;
    for (int step = 1; step <= maxSteps; step++) {
      String refusal = spending.refusal(incidentId);
      if (refusal != null) {
        throw new LlmException.BudgetSpent(refusal);
      }
      AiMessage reply = call(incidentId, messages);
      messages.add(reply);
      if (reply.hasToolExecutionRequests()) {
        for (ToolExecutionRequest request : reply.toolExecutionRequests()) {
          String observation = Prompts.quote(toolbox.execute(file, request));
          messages.add(ToolExecutionResultMessage.from(request, observation));
        }
        continue;
      }
      try {
        return reader.read(reply.text());
      } catch (LlmException.InvalidAnswer invalid) {
        if (corrected) {
          throw invalid;
        }
        corrected = true;
        messages.add(
            UserMessage.from(
                "Your answer was rejected: "
                    + invalid.getMessage()
                    + ". Reply again with only the corrected JSON object."));
      }
    }
    throw new LlmException("no valid answer within " + maxSteps + " steps");
  }

  /**
   * One call, bounded by the provider's timeout from start to end. The HTTP clients bound only the
   * wait for the response's headers: a server (or a proxy) that sends them and then stalls the body
   * would hold the call, and with it the case's worker, for as long as it stalls. So the call runs
   * on a thread of its own, carrying the work's request id, and is abandoned (interrupted) at the
   * timeout, plus a moment that lets the client's own timeout, with its clearer message, come
   * first.
   */
  private ChatResponse chatWithin(ChatRequest request) {
    String requestId = RequestIds.current();
    FutureTask<ChatResponse> call =
        new FutureTask<>(
            () -> {
              try (RequestIds.Scope scope =
                  requestId == null ? () -> {} : RequestIds.open(requestId)) {
                return model.chat(request);
              }
            });
    Thread.ofVirtual().name("llm-" + provider.name()).start(call);
    long timeout = provider.timeout().toMillis();
    long limit = timeout + Math.max(CLIENT_TIMEOUT_FIRST_MILLIS, timeout / 2);
    try {
      return call.get(limit, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new LlmException(
          provider.name()
              + " did not finish answering within "
              + provider.timeout().toMillis()
              + " ms");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new LlmException("interrupted while waiting for " + provider.name(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new LlmException(provider.name() + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** One model call, retried as configured; every answered call is booked, tokens and price. */
  private AiMessage call(String incidentId, List<ChatMessage> messages) {
    ChatRequest request =
        ChatRequest.builder()
            .messages(List.copyOf(messages))
            .toolSpecifications(toolbox.specifications())
            .build();
    RuntimeException last = null;
    for (int attempt = 0; attempt <= provider.retries(); attempt++) {
      long started = System.nanoTime();
      try {
        ChatResponse response = chatWithin(request);
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        TokenUsage usage = response.tokenUsage();
        long input = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long output =
            usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        double cost = spending.record(provider, incidentId, input, output, latency);
        tally = tally.plus(input, output, cost);
        return response.aiMessage();
      } catch (RuntimeException e) {
        // A timeout, a refused connection, a 5xx: counted, then retried or passed down the chain.
        spending.failure(provider.name(), e.getClass().getSimpleName());
        last = e;
      }
    }
    throw new LlmException(
        provider.name()
            + " failed after "
            + (provider.retries() + 1)
            + " attempt(s): "
            + last.getMessage(),
        last);
  }
}
