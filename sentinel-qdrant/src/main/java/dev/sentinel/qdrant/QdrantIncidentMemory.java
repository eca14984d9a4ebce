package dev.sentinel.qdrant;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ValueFactory.value;

import com.google.common.util.concurrent.ListenableFuture;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryException;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import dev.sentinel.memory.Vectors;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The scale-out incident memory: a Qdrant collection reached over gRPC with Qdrant's official Java
 * client. At start the collection is created when missing, with the embedder's vector size and
 * cosine distance. Several Sentinel instances may share one collection.
 *
 * <p>Qdrant point ids must be integers or UUIDs: a document's id becomes a name-based UUID (the
 * same id always maps to the same point, so upserts replace) and is kept, with the kind and text,
 * in reserved payload keys beside the document's own payload. Every write waits until Qdrant has
 * applied it ({@code wait=true}), so a search that starts after it returns sees it. Thread-safe:
 * the client's channel is shared by all threads.
 */
public final class QdrantIncidentMemory implements IncidentMemory {

  static final String ID = "sentinel_id";
  static final String KIND = "sentinel_kind";
  static final String TEXT = "sentinel_text";

  private final QdrantSettings settings;
  private final QdrantClient client;

  private QdrantIncidentMemory(QdrantSettings settings, QdrantClient client) {
    this.settings = settings;
    this.client = client;
  }

  /**
   * Connects and creates the collection when it does not exist yet.
   *
   * @throws MemoryException when Qdrant does not answer or refuses
   */
  public static QdrantIncidentMemory open(QdrantSettings settings) {
    // No version check against the server: it costs a call and fails startup on minor skew.
    QdrantGrpcClient.Builder grpc =
        QdrantGrpcClient.newBuilder(settings.host(), settings.port(), settings.tls(), false)
            .withTimeout(settings.timeout());
    if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
      grpc.withApiKey(settings.apiKey());
    }
    QdrantIncidentMemory memory =
        new QdrantIncidentMemory(settings, new QdrantClient(grpc.build()));
    try {
      memory.ensureCollection();
      return memory;
    } catch (RuntimeException e) {
      memory.close();
      throw e;
    }
  }

  private void ensureCollection() {
    if (await(client.collectionExistsAsync(settings.collection()), "check the collection")) {
      return;
    }
    VectorParams vectors =
        VectorParams.newBuilder()
            .setSize(settings.dimensions())
            .setDistance(Distance.Cosine)
            .build();
    await(
        client.createCollectionAsync(
            CreateCollection.newBuilder()
                .setCollectionName(settings.collection())
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(vectors))
                .build()),
        "create the collection");
  }

  @Override
  public int dimensions() {
    return settings.dimensions();
  }

  @Override
  public void upsert(MemoryDocument document) {
    Vectors.requireDimensions(document.vector(), settings.dimensions());
    Map<String, Value> payload = new HashMap<>();
    document.payload().forEach((key, text) -> payload.put(key, value(text)));
    payload.put(ID, value(document.id()));
    payload.put(KIND, value(document.kind().label()));
    payload.put(TEXT, value(document.text()));
    PointStruct point =
        PointStruct.newBuilder()
            .setId(pointId(document.id()))
            .setVectors(VectorsFactory.vectors(document.vector()))
            .putAllPayload(payload)
            .build();
    await(
        client.upsertAsync(
            UpsertPoints.newBuilder()
                .setCollectionName(settings.collection())
                .setWait(true)
                .addPoints(point)
                .build()),
        "store " + document.id());
  }

  @Override
  public List<MemoryHit> search(MemoryQuery query) {
    float[] vector = query.vector();
    Vectors.requireDimensions(vector, settings.dimensions());
    SearchPoints.Builder search =
        SearchPoints.newBuilder()
            .setCollectionName(settings.collection())
            .setLimit(query.limit())
            .setWithPayload(WithPayloadSelectorFactory.enable(true));
    for (float component : vector) {
      search.addVector(component);
    }
    Filter filter = filter(query);
    if (filter != null) {
      search.setFilter(filter);
    }
    List<ScoredPoint> found = await(client.searchAsync(search.build()), "search");
    List<MemoryHit> hits = new ArrayList<>(found.size());
    for (ScoredPoint point : found) {
      hits.add(toHit(point));
    }
    return hits;
  }

  private static Filter filter(MemoryQuery query) {
    if (query.kinds().isEmpty() && query.filters().isEmpty()) {
      return null;
    }
    Filter.Builder filter = Filter.newBuilder();
    if (!query.kinds().isEmpty()) {
      filter.addMust(
          matchKeywords(KIND, query.kinds().stream().map(MemoryKind::label).sorted().toList()));
    }
    query.filters().forEach((key, text) -> filter.addMust(matchKeyword(key, text)));
    return filter.build();
  }

  private static MemoryHit toHit(ScoredPoint point) {
    Map<String, String> payload = new HashMap<>();
    point
        .getPayloadMap()
        .forEach(
            (key, text) -> {
              if (!key.equals(ID) && !key.equals(KIND) && !key.equals(TEXT)) {
                payload.put(key, text.getStringValue());
              }
            });
    // With cosine distance Qdrant scores by the cosine itself (it normalises vectors on upsert).
    return new MemoryHit(
        point.getPayloadMap().get(ID).getStringValue(),
        MemoryKind.of(point.getPayloadMap().get(KIND).getStringValue()),
        point.getPayloadMap().get(TEXT).getStringValue(),
        payload,
        Math.max(-1, Math.min(1, point.getScore())));
  }

  @Override
  public boolean delete(String id) {
    PointId point = pointId(id);
    boolean present =
        !await(
                client.retrieveAsync(settings.collection(), point, false, false, null),
                "look up " + id)
            .isEmpty();
    if (present) {
      await(
          client.deleteAsync(
              DeletePoints.newBuilder()
                  .setCollectionName(settings.collection())
                  .setWait(true)
                  .setPoints(
                      PointsSelector.newBuilder()
                          .setPoints(PointsIdsList.newBuilder().addIds(point)))
                  .build()),
          "delete " + id);
    }
    return present;
  }

  @Override
  public long count() {
    return await(client.countAsync(settings.collection()), "count");
  }

  @Override
  public String description() {
    return "Qdrant collection "
        + settings.collection()
        + " at "
        + settings.host()
        + ":"
        + settings.port()
        + " ("
        + settings.dimensions()
        + " dimensions, cosine)";
  }

  /** The point id of a document id: a name-based UUID, stable across instances and restarts. */
  static PointId pointId(String id) {
    return PointIdFactory.id(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)));
  }

  private <T> T await(ListenableFuture<T> call, String what) {
    try {
      // The client's own deadline applies too; this one stops a wait on a broken channel.
      return call.get(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new MemoryException(
          "Qdrant at "
              + settings.host()
              + ":"
              + settings.port()
              + " could not "
              + what
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new MemoryException("Qdrant did not answer in time to " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemoryException("interrupted while waiting for Qdrant to " + what, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
