/*
 * heap: keep the malloc heap of a single-loop daemon cheap to grow.
 *
 * A SIP proxy keeps every finished transaction for timer J (32 s over
 * UDP, RFC 3261 17.2.2), so under a steady load its heap grows for half a
 * minute, page by page. Each first touch of a page is a page fault, and on
 * a virtual machine a fault costs like a dozen syscalls: measured on the
 * P-CSCF relay (tests/bench/pcscf-relay.sh), ~17 KB of heap and 4 faults
 * per relayed request, a third of its CPU. heap_prefault() faults in, with
 * one madvise(MADV_POPULATE_WRITE), the part of the heap glibc has taken
 * from the kernel (brk) but nobody has touched yet; with a top pad of 1 MB
 * that is one call per ~70 relayed requests instead of four faults each.
 *
 * heap_tune() sets the glibc knobs this relies on: a top pad (the heap
 * grows in steps of HEAP_TOP_PAD) and a trim threshold high enough that
 * the top is not given back and faulted in again between bursts.
 *
 * Main arena only (brk); other threads' arenas are not touched. Call both
 * from the thread that runs the loop; heap_prefault() is cheap when the
 * heap did not grow (sbrk(0) is a cached value, no syscall).
 */
#ifndef IMS_HEAP_H
#define IMS_HEAP_H

/* 1 MB: small enough that faulting in a whole step at once adds little
 * to what the process really uses (tests/bench/pcscf-relay.sh measures
 * ~600 B per registered UE over 10,000 UEs: a 4 MB step would be 400 B of
 * that), large enough that brk + madvise stay ~75 calls a second at
 * 5000 relayed requests/s. */
#define HEAP_TOP_PAD (1024 * 1024)

struct su_root_s;
#define HEAP_TRIM_THRESHOLD (64 * 1024 * 1024)

/* mallopt M_TOP_PAD and M_TRIM_THRESHOLD as above. */
void heap_tune(void);

/* Fault in the heap grown since the last call. Returns the bytes
 * populated, 0 when nothing grew, or -errno when the kernel refused
 * (before Linux 5.14: -EINVAL; later calls are then no-ops). */
long heap_prefault(void);

/* heap_tune(), then heap_prefault() before each wait of root's loop (its
 * prepoll hook: the caller must not set another). 0, or -errno. */
int heap_attach(struct su_root_s *root);

#endif
