/* reg_load_pool: see reg_load_pool.h for the contract. */
#include "reg_load_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "reg_row.h"

#define RING 256u      /* rows in flight: ~1 MB of row data at most */
#define MAX_WORKERS 8u

enum slot_state { SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

struct slot {
	enum slot_state state;
	char *data;
	size_t len;
	struct reg_item item;
	int rc;
};

struct reg_load_pool {
	pthread_mutex_t mu;
	pthread_cond_t work;       /* a row was queued, or stop */
	pthread_cond_t done;       /* the row the loop waits for was read */
	struct slot ring[RING];
	uint64_t head;             /* next sequence to push */
	uint64_t tail;             /* next sequence to pop */
	uint64_t next;             /* next sequence to read */
	size_t idle;               /* workers waiting on `work` */
	bool waiting;              /* the loop waits on `done` */
	bool stop;
	int64_t now, wall;
	pthread_t threads[MAX_WORKERS];
	size_t n_threads;
};

/* Reads the next queued row, if any; called and returns with mu held. */
static bool read_one(struct reg_load_pool *p)
{
	struct slot *s;

	if (p->next == p->head)
		return false;
	s = &p->ring[p->next++ % RING];
	s->state = SLOT_BUSY;
	pthread_mutex_unlock(&p->mu);
	s->rc = reg_row_read(s->data, s->len, p->now, p->wall, &s->item);
	free(s->data);
	s->data = NULL;
	pthread_mutex_lock(&p->mu);
	s->state = SLOT_DONE;
	if (p->waiting && s == &p->ring[p->tail % RING])
		pthread_cond_signal(&p->done);
	return true;
}

static void *worker_main(void *arg)
{
	struct reg_load_pool *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		if (read_one(p))
			continue;
		p->idle++;
		pthread_cond_wait(&p->work, &p->mu);
		p->idle--;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int reg_load_pool_create(size_t workers, int64_t now, int64_t wall, struct reg_load_pool **out)
{
	struct reg_load_pool *p = calloc(1, sizeof *p);
	size_t i;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->now = now;
	p->wall = wall;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	for (i = 0; i < workers; i++) {
		/* Fewer workers than asked is fine: the loop reads the rest. */
		if (pthread_create(&p->threads[p->n_threads], NULL, worker_main, p) != 0)
			break;
		p->n_threads++;
	}
	*out = p;
	return 0;
}

int reg_load_pool_push(struct reg_load_pool *p, char *data, size_t len)
{
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	if (p->head - p->tail >= RING) {
		pthread_mutex_unlock(&p->mu);
		return -EAGAIN;
	}
	s = &p->ring[p->head++ % RING];
	memset(s, 0, sizeof *s);
	s->state = SLOT_QUEUED;
	s->data = data;
	s->len = len;
	if (p->idle > 0)
		pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

bool reg_load_pool_pop(struct reg_load_pool *p, struct reg_item *it, int *rc)
{
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	if (p->tail == p->head) {
		pthread_mutex_unlock(&p->mu);
		return false;
	}
	s = &p->ring[p->tail % RING];
	while (s->state != SLOT_DONE) {
		/* Rather than sleep, read a queued row (perhaps this one). */
		if (read_one(p))
			continue;
		p->waiting = true;
		pthread_cond_wait(&p->done, &p->mu);
		p->waiting = false;
	}
	*it = s->item;
	*rc = s->rc;
	memset(&s->item, 0, sizeof s->item);
	p->tail++;
	pthread_mutex_unlock(&p->mu);
	return true;
}

size_t reg_load_pool_pending(const struct reg_load_pool *p)
{
	return (size_t)(p->head - p->tail); /* only the loop thread moves these */
}

void reg_load_pool_destroy(struct reg_load_pool *p)
{
	struct reg_item it;
	size_t i;
	int rc;

	if (!p)
		return;
	while (reg_load_pool_pop(p, &it, &rc))
		reg_item_clear(&it);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
