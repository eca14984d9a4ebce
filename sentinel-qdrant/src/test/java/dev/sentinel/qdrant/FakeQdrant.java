package dev.sentinel.qdrant;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for Qdrant, which cannot run on this machine: a real gRPC server on a loopback port
 * that implements the calls Sentinel's adapter makes (health check; collection exists and create;
 * points upsert, search, get, delete and count) with Qdrant's own generated service stubs, so the
 * client talks Qdrant's wire protocol (HTTP/2, protobuf) to it. Behaves as Qdrant does where the
 * adapter depends on it: cosine collections normalise vectors and score by the cosine, a wrong
 * vector size or an unknown collection is an error, filters apply before the top k is taken.
 * Anything else (other condition types, named vectors) is refused, so the adapter cannot silently
 * start relying on something this fake does not check.
 */
final class FakeQdrant implements AutoCloseable {

  record Collection(long size, Distance distance, Map<PointId, PointStruct> points) {}

  final Map<String, Collection> collections = new ConcurrentHashMap<>();
  private final Server server;

  FakeQdrant() throws IOException {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new Health())
            .addService(new Collections())
            .addService(new PointsService())
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private final class Health extends QdrantGrpc.QdrantImplBase {
    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> reply) {
      reply.onNext(
          HealthCheckReply.newBuilder().setTitle("fake qdrant").setVersion("1.18.0").build());
      reply.onCompleted();
    }
  }

  private final class Collections extends CollectionsGrpc.CollectionsImplBase {
    @Override
    public void collectionExists(
        CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> reply) {
      boolean exists = collections.containsKey(request.getCollectionName());
      reply.onNext(
          CollectionExistsResponse.newBuilder()
              .setResult(CollectionExists.newBuilder().setExists(exists))
              .build());
      reply.onCompleted();
    }

    @Override
    public void create(
        CreateCollection request, StreamObserver<CollectionOperationResponse> reply) {
      if (collections.containsKey(request.getCollectionName())) {
        reply.onError(
            Status.ALREADY_EXISTS
                .withDescription("Collection `" + request.getCollectionName() + "` already exists!")
                .asRuntimeException());
        return;
      }
      if (!request.getVectorsConfig().hasParams()) {
        reply.onError(
            Status.UNIMPLEMENTED.withDescription("only one unnamed vector").asRuntimeException());
        return;
      }
      var params = request.getVectorsConfig().getParams();
      collections.put(
          request.getCollectionName(),
          new Collection(params.getSize(), params.getDistance(), new ConcurrentHashMap<>()));
      reply.onNext(CollectionOperationResponse.newBuilder().setResult(true).build());
      reply.onCompleted();
    }
  }

  private final class PointsService extends PointsGrpc.PointsImplBase {
    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> reply) {
      Collection collection = collection(request.getCollectionName(), reply);
      if (collection == null) {
        return;
      }
      List<PointStruct> accepted = new ArrayList<>();
      for (PointStruct point : request.getPointsList()) {
        List<Float> vector = dense(point.getVectors().getVector());
        if (vector.size() != collection.size()) {
          reply.onError(
              Status.INVALID_ARGUMENT
                  .withDescription(
                      "Wrong input: Vector dimension error: expected dim: "
                          + collection.size()
                          + ", got "
                          + vector.size())
                  .asRuntimeException());
          return;
        }
        accepted.add(
            point.toBuilder()
                .setVectors(io.qdrant.client.VectorsFactory.vectors(normalise(vector)))
                .build());
      }
      accepted.forEach(point -> collection.points().put(point.getId(), point));
      done(reply);
    }

    @Override
    public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> reply) {
      Collection collection = collection(request.getCollectionName(), reply);
      if (collection == null) {
        return;
      }
      if (!request.getPoints().hasPoints()) {
        reply.onError(
            Status.UNIMPLEMENTED.withDescription("delete by filter").asRuntimeException());
        return;
      }
      request.getPoints().getPoints().getIdsList().forEach(collection.points()::remove);
      done(reply);
    }

    @Override
    public void get(GetPoints request, StreamObserver<GetResponse> reply) {
      Collection collection = collection(request.getCollectionName(), reply);
      if (collection == null) {
        return;
      }
      GetResponse.Builder response = GetResponse.newBuilder();
      for (PointId id : request.getIdsList()) {
        PointStruct point = collection.points().get(id);
        if (point != null) {
          response.addResult(
              RetrievedPoint.newBuilder().setId(id).putAllPayload(point.getPayloadMap()));
        }
      }
      reply.onNext(response.build());
      reply.onCompleted();
    }

    @Override
    public void count(CountPoints request, StreamObserver<CountResponse> reply) {
      Collection collection = collection(request.getCollectionName(), reply);
      if (collection == null) {
        return;
      }
      reply.onNext(
          CountResponse.newBuilder()
              .setResult(CountResult.newBuilder().setCount(collection.points().size()))
              .build());
      reply.onCompleted();
    }

    @Override
    public void search(SearchPoints request, StreamObserver<SearchResponse> reply) {
      Collection collection = collection(request.getCollectionName(), reply);
      if (collection == null) {
        return;
      }
      if (request.getVectorCount() != collection.size()) {
        reply.onError(
            Status.INVALID_ARGUMENT
                .withDescription(
                    "Wrong input: Vector dimension error: expected dim: "
                        + collection.size()
                        + ", got "
                        + request.getVectorCount())
                .asRuntimeException());
        return;
      }
      float[] query = normalise(request.getVectorList());
      List<ScoredPoint> scored = new ArrayList<>();
      for (PointStruct point : collection.points().values()) {
        Boolean passes = passes(request.getFilter(), point.getPayloadMap());
        if (passes == null) {
          reply.onError(
              Status.UNIMPLEMENTED.withDescription("condition type").asRuntimeException());
          return;
        }
        if (passes) {
          List<Float> stored = dense(point.getVectors().getVector());
          float dot = 0;
          for (int i = 0; i < query.length; i++) {
            dot += query[i] * stored.get(i);
          }
          ScoredPoint.Builder hit = ScoredPoint.newBuilder().setId(point.getId()).setScore(dot);
          if (request.getWithPayload().getEnable()) {
            hit.putAllPayload(point.getPayloadMap());
          }
          scored.add(hit.build());
        }
      }
      scored.sort(Comparator.comparingDouble(ScoredPoint::getScore).reversed());
      reply.onNext(
          SearchResponse.newBuilder()
              .addAllResult(scored.subList(0, (int) Math.min(request.getLimit(), scored.size())))
              .build());
      reply.onCompleted();
    }

    private <T> Collection collection(String name, StreamObserver<T> reply) {
      Collection collection = collections.get(name);
      if (collection == null) {
        reply.onError(
            Status.NOT_FOUND
                .withDescription("Not found: Collection `" + name + "` doesn't exist!")
                .asRuntimeException());
      }
      return collection;
    }

    private void done(StreamObserver<PointsOperationResponse> reply) {
      reply.onNext(
          PointsOperationResponse.newBuilder()
              .setResult(UpdateResult.newBuilder().setStatus(UpdateStatus.Completed))
              .build());
      reply.onCompleted();
    }
  }

  /** Whether a payload passes a filter's {@code must} keyword conditions; null when unsupported. */
  private static Boolean passes(Filter filter, Map<String, Value> payload) {
    if (filter.getShouldCount() > 0 || filter.getMustNotCount() > 0 || filter.hasMinShould()) {
      return null;
    }
    for (Condition condition : filter.getMustList()) {
      if (!condition.hasField()) {
        return null;
      }
      FieldCondition field = condition.getField();
      Value value = payload.get(field.getKey());
      String text = value == null ? null : value.getStringValue();
      switch (field.getMatch().getMatchValueCase()) {
        case KEYWORD -> {
          if (!field.getMatch().getKeyword().equals(text)) {
            return false;
          }
        }
        case KEYWORDS -> {
          if (!field.getMatch().getKeywords().getStringsList().contains(text)) {
            return false;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return true;
  }

  private static List<Float> dense(Points.Vector vector) {
    return vector.hasDense() ? vector.getDense().getDataList() : vector.getDataList();
  }

  private static float[] normalise(List<Float> vector) {
    double norm = 0;
    for (float component : vector) {
      norm += component * component;
    }
    norm = Math.sqrt(norm);
    float[] unit = new float[vector.size()];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = (float) (vector.get(i) / norm);
    }
    return unit;
  }
}
