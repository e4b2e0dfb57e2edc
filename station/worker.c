/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker.h"

struct task {
	struct task *next;
	worker_fn_t fn;
	void *arg;
	worker_fn_t free_arg;
};

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct task *head, *tail;
	bool stopping;
};

static void task_free(struct task *t)
{
	if (t->free_arg)
		t->free_arg(t->arg);
	free(t);
}

static void *worker_main(void *userdata)
{
	struct worker *w = userdata;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct task *t;
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stopping)
			break;
		t = w->head;
		w->head = t->next;
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		t->fn(t->arg);
		task_free(t);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int worker_new(const char *name, struct worker **ret_worker)
{
	struct worker *w = calloc(1, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	r = pthread_create(&w->thread, NULL, worker_main, w);
	if (r != 0) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return -r;
	}
	if (name) {
		char n[16];
		snprintf(n, sizeof(n), "%s", name);
		pthread_setname_np(w->thread, n);
	}
	*ret_worker = w;
	return 0;
}

int worker_submit(struct worker *w, worker_fn_t fn, void *arg, worker_fn_t free_arg)
{
	struct task *t = calloc(1, sizeof(*t));

	if (!t) {
		if (free_arg)
			free_arg(arg);
		return -ENOMEM;
	}
	t->fn = fn;
	t->arg = arg;
	t->free_arg = free_arg;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		task_free(t);
		return -ESHUTDOWN;
	}
	if (w->tail)
		w->tail->next = t;
	else
		w->head = t;
	w->tail = t;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

struct worker *worker_free(struct worker *w)
{
	struct task *t;

	if (!w)
		return NULL;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while ((t = w->head)) {
		w->head = t->next;
		task_free(t);
	}
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return NULL;
}
