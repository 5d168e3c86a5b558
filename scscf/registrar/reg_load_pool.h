/*
 * reg_load_pool: rows of the MariaDB store read (reg_row_read: the
 * profile's XML parse, most of a reload's cost) on worker threads while
 * the loop thread fetches the next rows and adds the read ones to the
 * registrar, so a start with 100 000 registrations uses every core.
 *
 * Order is kept: items come out in the order their rows went in, so a
 * reload adds exactly what a one-thread reload would (the first of two
 * sets with one IMPU wins either way). The ring is bounded (memory of a
 * few hundred rows); reg_load_pool_push blocks while it is full, and then
 * the calling thread reads rows itself instead of sleeping.
 * With workers 0 everything runs on the calling thread.
 *
 * Thread rules: create, push, pop and destroy on one thread (the loop's);
 * the workers are internal. Ownership: push takes data (heap); pop gives
 * an item the caller adds (reg_persist_add_item) or clears. Returns 0 or
 * -errno.
 */
#ifndef SCSCF_REG_LOAD_POOL_H
#define SCSCF_REG_LOAD_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reg_persist.h"

struct reg_load_pool;

/* now / wall as for reg_row_read. */
int reg_load_pool_create(size_t workers, int64_t now, int64_t wall, struct reg_load_pool **out);
/* Queue one row; -EAGAIN when the ring is full (pop first). */
int reg_load_pool_push(struct reg_load_pool *p, char *data, size_t len);
/* The oldest row's item: true with *it and *rc (reg_row_read's result)
 * when a row was pending; false when none is. Waits for it to be read
 * (reading queued rows meanwhile). */
bool reg_load_pool_pop(struct reg_load_pool *p, struct reg_item *it, int *rc);
/* Rows pushed and not popped yet. */
size_t reg_load_pool_pending(const struct reg_load_pool *p);
/* Stops the workers; items not popped yet are dropped. */
void reg_load_pool_destroy(struct reg_load_pool *p);

#endif
