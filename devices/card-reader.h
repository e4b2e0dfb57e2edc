/* SPDX-License-Identifier: MIT */
/*
 * Card reader: the device interface (STYLE.md rule 2). A back end watches
 * its reader on its own thread and pushes to the station queue:
 * CARD_INSERTED, then CARD_READ or CARD_FAILED, CARD_REMOVED, and
 * DEVICE_STATE for the reader itself (gone, back).
 *
 * Back ends: "sim" (card-reader-sim.c, scripted, always compiled in) and
 * "pcsc" (pcsc-lite, the e-KTP issue).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct station_queue;
struct card_reader;

struct card_reader_ops {
	const char *name;
	/* Starts watching. Returns 0 or -errno. Owner thread. */
	int (*start)(struct card_reader *r);
	/* Stops watching; blocks until the back end's thread has ended and
	 * will push nothing more. Owner thread. */
	void (*stop)(struct card_reader *r);
	/* Frees ctx (after stop). */
	void (*free_ctx)(void *ctx);
	/* Optional: a remedy of the recovery ladder (enum card_recover),
	 * carried out on the back end's thread soon after. Any thread; does
	 * not block. */
	int (*recover)(struct card_reader *r, int how);
};

enum card_recover {
	CARD_RECOVER_REOPEN = 1,      /* list the readers again */
	CARD_RECOVER_NEW_CONTEXT = 2, /* release the PC/SC context, make a new one */
};

struct card_reader {
	const struct card_reader_ops *ops;
	void *ctx;
	struct station_queue *queue; /* not owned */
};

int card_reader_start(struct card_reader *r);
/* Asks for a remedy (enum card_recover): 0, -EOPNOTSUPP when the back end
 * has none (the simulator), -EINVAL. */
int card_reader_recover(struct card_reader *r, int how);
/* Stops and frees. Accepts NULL; returns NULL. */
struct card_reader *card_reader_free(struct card_reader *r);

/* ---- the simulator ------------------------------------------------------ */

enum card_sim_kind {
	CARD_SIM_EKTP,	     /* reads fine */
	CARD_SIM_UNKNOWN,    /* not an e-KTP: CARD_FAILED(CARD_UNKNOWN) */
	CARD_SIM_UNREADABLE, /* CARD_FAILED(CARD_UNREADABLE) */
};

struct card_sim_card {
	const char *name; /* scenario name: "budi" */
	enum card_sim_kind kind;
	uint8_t uid[10];
	size_t uid_len;
	const char *nik; /* what a SAM read would give */
	const char *full_name;
};

/* A simulated reader holding the given cards (not copied: must outlive
 * the reader). */
int card_reader_sim_new(struct station_queue *q, const struct card_sim_card *cards, size_t n_cards,
			struct card_reader **ret_reader);

/* Scripting, any thread; the events follow asynchronously on the sim's own
 * thread, and the queue is held (station_queue_hold) until they are in.
 * -ENOENT: no card of that name; -ENODEV: the reader is unplugged. */
int card_reader_sim_tap(struct card_reader *r, const char *card_name);
int card_reader_sim_remove(struct card_reader *r);
/* Unplug (false) / replug (true): DEVICE_STATE FAILED / OK. */
int card_reader_sim_set_plugged(struct card_reader *r, bool plugged);
