package dev.sentinel.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Builds the SDK clients the executors use: credentials from the standard provider chain
 * (environment, system properties, profile, web identity, container and instance roles) unless
 * given, and an optional endpoint override (a VPC endpoint, LocalStack, or a test's fake).
 */
public final class AwsClients {

  private AwsClients() {}

  public static Ec2Client ec2(String region, String endpoint) {
    return ec2(region, endpoint, DefaultCredentialsProvider.builder().build());
  }

  public static EcsClient ecs(String region, String endpoint) {
    return ecs(region, endpoint, DefaultCredentialsProvider.builder().build());
  }

  static Ec2Client ec2(String region, String endpoint, AwsCredentialsProvider credentials) {
    var builder = Ec2Client.builder().region(Region.of(region)).credentialsProvider(credentials);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  static EcsClient ecs(String region, String endpoint, AwsCredentialsProvider credentials) {
    var builder = EcsClient.builder().region(Region.of(region)).credentialsProvider(credentials);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }
}
