/**
 * Semantic memory: the {@link dev.sentinel.memory.Embedder} port that turns text into vectors and
 * the {@link dev.sentinel.memory.IncidentMemory} port that keeps incidents, resolutions and runbook
 * sections as vectors and finds the nearest ones. Not a stage of the loop: correlation reads it to
 * deduplicate, analysis reads it for similar incidents, and the learn stage writes resolutions into
 * it. It uses no stage's types, so every stage may use it. Adapters (ONNX or HTTP embedders,
 * Lucene, Qdrant) live in their own modules.
 */
package dev.sentinel.memory;
