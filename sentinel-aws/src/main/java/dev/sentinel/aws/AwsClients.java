package dev.sentinel.aws;

import dev.sentinel.trace.RequestIds;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Builds the SDK clients the executors use: credentials from the standard provider chain
 * (environment, system properties, profile, web identity, container and instance roles) unless
 * given, and an optional endpoint override (a VPC endpoint, LocalStack, or a test's fake).
 */
public final class AwsClients {

  /** Every call carries the request id of the work making it, as {@value RequestIds#HEADER}. */
  private static final ClientOverrideConfiguration REQUEST_IDS =
      ClientOverrideConfiguration.builder().addExecutionInterceptor(new RequestIdHeader()).build();

  private AwsClients() {}

  /**
   * Reads the caller's request id on the caller's thread (before the SDK hands the call to its own)
   * and adds it to the HTTP request before it is signed.
   */
  private static final class RequestIdHeader implements ExecutionInterceptor {
    private static final ExecutionAttribute<String> ID =
        new ExecutionAttribute<>("sentinel.requestId");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      String id = RequestIds.current();
      if (id != null) {
        attributes.putAttribute(ID, id);
      }
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(
        Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      String id = attributes.getAttribute(ID);
      if (id == null) {
        return context.httpRequest();
      }
      return context.httpRequest().toBuilder().putHeader(RequestIds.HEADER, id).build();
    }
  }

  public static Ec2Client ec2(String region, String endpoint) {
    return ec2(region, endpoint, DefaultCredentialsProvider.builder().build());
  }

  public static EcsClient ecs(String region, String endpoint) {
    return ecs(region, endpoint, DefaultCredentialsProvider.builder().build());
  }

  static Ec2Client ec2(String region, String endpoint, AwsCredentialsProvider credentials) {
    var builder =
        Ec2Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .overrideConfiguration(REQUEST_IDS);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  static EcsClient ecs(String region, String endpoint, AwsCredentialsProvider credentials) {
    var builder =
        EcsClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .overrideConfiguration(REQUEST_IDS);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }
}
