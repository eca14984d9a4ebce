package dev.sentinel.lucene;

import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import dev.sentinel.memory.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * The embedded incident memory: a Lucene index on disk whose vectors are searched through Lucene's
 * HNSW graph (cosine). Documents are added incrementally, one segment at a time; the graph is never
 * rebuilt at start (for 100,000 vectors that takes minutes), so a restart only opens the files.
 *
 * <p>Every write is committed before it returns, so whatever {@link #upsert} acknowledged survives
 * a crash; writes are rare (an incident opening or resolving), searches frequent. Writes are
 * serialised by this object; searches run concurrently on the latest refreshed searcher, which is
 * refreshed after each write so a search sees every write that returned before it.
 *
 * <p>Each kind (incidents, resolutions, runbook sections) has its own vector field, hence its own
 * HNSW graph, so asking for one kind costs no filter. Payload filters are given to the vector query
 * itself, which Lucene applies while walking the graph, or by exact search when they are very
 * selective: the k nearest that pass the filter are returned, not the k nearest filtered
 * afterwards. An index written before the split (one {@code vector} field for all kinds) is still
 * searched, with the kind as a filter; its documents move to their kind's field when rewritten.
 */
public final class LuceneIncidentMemory implements IncidentMemory {

  private static final String ID = "id";
  private static final String KIND = "kind";
  private static final String TEXT = "text";

  /** Each kind's vectors have a field, so a graph, of their own: see {@link #search}. */
  private static final String VECTOR = "vector.";

  /** Where indexes written before the split keep every vector; read, never written. */
  private static final String LEGACY_VECTOR = "vector";

  /** Payload entries are indexed as {@code p.<key>} so they can be filtered on exactly. */
  private static final String PAYLOAD = "p.";

  private final Path path;
  private final int dimensions;
  private final FSDirectory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final boolean legacyVectors;

  private LuceneIncidentMemory(Path path, int dimensions) throws IOException {
    this.path = path;
    this.dimensions = dimensions;
    Files.createDirectories(path);
    this.directory = FSDirectory.open(path);
    IndexWriter opened;
    try {
      opened =
          new IndexWriter(
              directory,
              new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    this.writer = opened;
    this.searchers = new SearcherManager(writer, null);
    IndexSearcher searcher = searchers.acquire();
    try {
      this.legacyVectors =
          FieldInfos.getMergedFieldInfos(searcher.getIndexReader()).fieldInfo(LEGACY_VECTOR)
              != null;
    } finally {
      searchers.release(searcher);
    }
  }

  /**
   * Opens the index under {@code path}, creating it when absent.
   *
   * @param dimensions the embedder's vector length (Lucene accepts up to 1024)
   * @throws UncheckedIOException when the folder cannot be used, or another process holds its lock
   */
  public static LuceneIncidentMemory open(Path path, int dimensions) {
    if (dimensions < 1 || dimensions > 1024) {
      throw new IllegalArgumentException(
          "Lucene indexes vectors of 1 to 1024 dimensions, asked for " + dimensions);
    }
    try {
      return new LuceneIncidentMemory(path, dimensions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the incident memory at " + path, e);
    }
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public void upsert(MemoryDocument document) {
    upsertAll(List.of(document));
  }

  /**
   * Stores many documents with one commit: how a benchmark or an import fills the index. Each
   * document replaces any with the same id.
   */
  public synchronized void upsertAll(List<MemoryDocument> documents) {
    for (MemoryDocument document : documents) {
      Vectors.requireDimensions(document.vector(), dimensions);
    }
    try {
      for (MemoryDocument document : documents) {
        writer.updateDocument(new Term(ID, document.id()), toLucene(document));
      }
      commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the incident memory at " + path, e);
    }
  }

  private static Document toLucene(MemoryDocument document) {
    Document lucene = new Document();
    lucene.add(new StringField(ID, document.id(), Field.Store.YES));
    lucene.add(new StringField(KIND, document.kind().label(), Field.Store.YES));
    lucene.add(new StoredField(TEXT, document.text()));
    lucene.add(
        new KnnFloatVectorField(
            VECTOR + document.kind().label(), document.vector(), VectorSimilarityFunction.COSINE));
    for (Map.Entry<String, String> entry : document.payload().entrySet()) {
      lucene.add(new StringField(PAYLOAD + entry.getKey(), entry.getValue(), Field.Store.YES));
    }
    return lucene;
  }

  @Override
  public List<MemoryHit> search(MemoryQuery query) {
    float[] vector = query.vector();
    Vectors.requireDimensions(vector, dimensions);
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        ScoreDoc[] found = searcher.search(vectorQuery(query), query.limit()).scoreDocs;
        var stored = searcher.storedFields();
        List<MemoryHit> hits = new ArrayList<>(found.length);
        for (ScoreDoc hit : found) {
          hits.add(toHit(stored.document(hit.doc), hit.score));
        }
        return hits;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search the incident memory at " + path, e);
    }
  }

  /**
   * The k nearest of each asked kind, from that kind's own graph, as one disjunction: a document
   * has the vector field of its kind only, so its score is its similarity and the searcher's top k
   * of the union are the k nearest overall. A kind needs no filter this way (with one shared graph,
   * a kind filter made every search walk past the other kinds' nodes); payload values remain
   * filters of the graph walk.
   */
  private Query vectorQuery(MemoryQuery query) {
    Set<MemoryKind> kinds =
        query.kinds().isEmpty() ? EnumSet.allOf(MemoryKind.class) : query.kinds();
    Query payload = payloadFilter(query.filters(), Set.of());
    List<Query> perKind = new ArrayList<>();
    for (MemoryKind kind : kinds) {
      perKind.add(
          new KnnFloatVectorQuery(VECTOR + kind.label(), query.vector(), query.limit(), payload));
    }
    if (legacyVectors) {
      perKind.add(
          new KnnFloatVectorQuery(
              LEGACY_VECTOR, query.vector(), query.limit(), payloadFilter(query.filters(), kinds)));
    }
    if (perKind.size() == 1) {
      return perKind.get(0);
    }
    BooleanQuery.Builder union = new BooleanQuery.Builder();
    for (Query kind : perKind) {
      union.add(kind, BooleanClause.Occur.SHOULD);
    }
    return union.build();
  }

  /** Payload values (all of them) and kinds (any of them, none: all), or null for no filter. */
  private static Query payloadFilter(Map<String, String> values, Set<MemoryKind> kinds) {
    if (values.isEmpty() && kinds.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder filter = new BooleanQuery.Builder();
    filter.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
    if (!kinds.isEmpty()) {
      BooleanQuery.Builder anyKind = new BooleanQuery.Builder();
      for (MemoryKind kind : kinds) {
        anyKind.add(new TermQuery(new Term(KIND, kind.label())), BooleanClause.Occur.SHOULD);
      }
      filter.add(anyKind.build(), BooleanClause.Occur.FILTER);
    }
    for (Map.Entry<String, String> entry : values.entrySet()) {
      filter.add(
          new TermQuery(new Term(PAYLOAD + entry.getKey(), entry.getValue())),
          BooleanClause.Occur.FILTER);
    }
    return filter.build();
  }

  private static MemoryHit toHit(Document document, float score) {
    Map<String, String> payload = new TreeMap<>();
    for (IndexableField field : document.getFields()) {
      if (field.name().startsWith(PAYLOAD)) {
        payload.put(field.name().substring(PAYLOAD.length()), field.stringValue());
      }
    }
    // Lucene scores cosine as (1 + cos) / 2 so that scores are never negative: undo that.
    double similarity = Math.max(-1, Math.min(1, 2.0 * score - 1));
    return new MemoryHit(
        document.get(ID),
        MemoryKind.of(document.get(KIND)),
        document.get(TEXT),
        payload,
        similarity);
  }

  @Override
  public synchronized boolean delete(String id) {
    try {
      IndexSearcher searcher = searchers.acquire();
      boolean present;
      try {
        present = searcher.count(new TermQuery(new Term(ID, id))) > 0;
      } finally {
        searchers.release(searcher);
      }
      if (present) {
        writer.deleteDocuments(new Term(ID, id));
        commit();
      }
      return present;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete from the incident memory at " + path, e);
    }
  }

  @Override
  public long count() {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.getIndexReader().numDocs();
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the incident memory at " + path, e);
    }
  }

  private void commit() throws IOException {
    writer.commit();
    searchers.maybeRefreshBlocking();
  }

  @Override
  public String description() {
    return "Lucene HNSW index at " + path + " (" + dimensions + " dimensions, cosine)";
  }

  @Override
  public synchronized void close() {
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the incident memory at " + path, e);
    }
  }
}
