/** The shape of one versioned migration: up and down DDL for a quoted schema. Types only. */

/** One schema change with its inverse. */
export interface Migration {
  /** 1, 2, 3…: applied in this order, recorded in schema_migrations. */
  version: number;
  /** Short kebab-case name, e.g. `queue-tables`. */
  name: string;
  /** DDL that applies the change in schema `s` (already quoted). */
  up: (s: string) => string;
  /** DDL that reverts it. */
  down: (s: string) => string;
}
