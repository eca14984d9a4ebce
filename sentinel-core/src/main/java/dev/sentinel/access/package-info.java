/**
 * Who may use Sentinel's API: API keys, their roles, and the store that keeps only their hashes.
 * Not a stage of the loop; every stage's edge (HTTP, CLI) consults it.
 */
package dev.sentinel.access;
