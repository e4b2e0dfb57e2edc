/* SPDX-License-Identifier: MIT */
/*
 * The PC/SC card reader (card-reader-pcsc.h).
 *
 * Threads: the owner thread calls start/stop; the driver's own thread does
 * everything else. What they share (the stop flag, whether a PC/SC context
 * is live) sits under one mutex. stop() raises the flag and calls
 * SCardCancel() on the live context until the thread has ended: a cancel
 * that lands between two SCardGetStatusChange() calls would be lost, so it
 * is repeated rather than trusted once.
 *
 * PC/SC codes are mapped to -errno here, at the edge, and the original
 * goes to the debug log (STYLE.md rule 5).
 */
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#include <sodium.h>

#include "card-reader-pcsc.h"
#include "log.h"
#include "queue.h"

#define PNP_READER   "\\\\?PnP?\\Notification"
#define NAME_MAX_LEN 256

struct job;

struct pcsc {
	struct card_reader *reader; /* back pointer, for the queue */

	/* configuration, immutable after _new */
	char *reader_pattern; /* "" = any */
	char *sam_pattern;    /* "" = no SAM */
	bool have_unlock;
	uint8_t unlock[EKTP_UNLOCK_LEN];
	struct ektp_atr_pattern *atr_table;
	size_t n_atr;
	bool read_photo;
	unsigned read_timeout_ms, backoff_min_ms, backoff_max_ms;
	void (*observe)(void *userdata, const struct card_pcsc_report *rep);
	void *userdata;

	pthread_mutex_t lock;
	pthread_cond_t cond; /* stopping raised, or thread ended */
	bool started, stopping, ended;
	bool ctx_live;
	SCARDCONTEXT ctx;
	int recover; /* enum card_recover asked for, 0 none; under lock */
	pthread_t thread;
	struct job *job; /* the read under way, or NULL */

	/* the driver thread's own state */
	int state; /* enum session_device_state, or -1 before the first */
	char card_reader[NAME_MAX_LEN];
	char sam_reader[NAME_MAX_LEN];
	bool card_present; /* CARD_INSERTED pushed, CARD_REMOVED not yet */
	bool sam_present;  /* a card (the SAM) in the SAM reader */
};

static const struct card_reader_ops pcsc_ops;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool stopping(struct pcsc *p)
{
	bool s;

	pthread_mutex_lock(&p->lock);
	s = p->stopping;
	pthread_mutex_unlock(&p->lock);
	return s;
}

/* Waits ms or until stop; returns true when stopping. */
static bool wait_or_stop(struct pcsc *p, unsigned ms)
{
	struct timespec ts;
	bool s;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (!p->stopping)
		if (pthread_cond_timedwait(&p->cond, &p->lock, &ts) == ETIMEDOUT)
			break;
	s = p->stopping;
	pthread_mutex_unlock(&p->lock);
	return s;
}

static int map_rv(LONG rv)
{
	switch (rv) {
	case SCARD_S_SUCCESS:
		return 0;
	case SCARD_W_REMOVED_CARD:
	case SCARD_E_NO_SMARTCARD:
	case SCARD_W_RESET_CARD:
		return -ENOMEDIUM;
	case SCARD_W_UNRESPONSIVE_CARD:
	case SCARD_W_UNPOWERED_CARD:
	case SCARD_W_UNSUPPORTED_CARD:
	case SCARD_E_PROTO_MISMATCH:
		return -EIO;
	case SCARD_E_READER_UNAVAILABLE:
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_NO_READERS_AVAILABLE:
		return -ENODEV;
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
	case SCARD_E_INVALID_HANDLE:
		return -ESHUTDOWN;
	case SCARD_E_TIMEOUT:
		return -ETIMEDOUT;
	case SCARD_E_CANCELLED:
		return -ECANCELED;
	case SCARD_E_NO_MEMORY:
		return -ENOMEM;
	case SCARD_E_INSUFFICIENT_BUFFER:
		return -EBADMSG;
	default:
		return -EIO;
	}
}

static void report(struct pcsc *p, const struct card_pcsc_report *rep)
{
	if (p->observe)
		p->observe(p->userdata, rep);
}

static void report_simple(struct pcsc *p, enum card_pcsc_report_kind kind, const char *reader,
			  int error)
{
	struct card_pcsc_report rep = {.kind = kind, .reader = reader, .error = error};

	report(p, &rep);
}

static void push(struct pcsc *p, struct station_event *ev)
{
	/* A full queue drops (and wipes) the event and counts it: nothing
	 * else a device thread can do about it. */
	(void)station_queue_push(p->reader->queue, ev);
}

static void set_state(struct pcsc *p, enum session_device_state st)
{
	struct station_event ev = {.type = STATION_EVENT_DEVICE_STATE};

	if (p->state == (int)st)
		return;
	p->state = (int)st;
	ev.device.device = SESSION_DEVICE_CARD_READER;
	ev.device.state = st;
	push(p, &ev);
}

/* OK with the card reader there and, when a SAM is configured, the SAM in
 * its reader; DEGRADED (UID-only reads) without the SAM; FAILED without
 * the card reader. */
static void update_state(struct pcsc *p)
{
	if (!p->card_reader[0])
		set_state(p, SESSION_DEVICE_FAILED);
	else if (p->sam_pattern[0] && (!p->sam_reader[0] || !p->sam_present))
		set_state(p, SESSION_DEVICE_DEGRADED);
	else
		set_state(p, SESSION_DEVICE_OK);
}

static void card_removed(struct pcsc *p)
{
	struct station_event ev = {.type = STATION_EVENT_CARD_REMOVED};

	if (!p->card_present)
		return;
	p->card_present = false;
	push(p, &ev);
	report_simple(p, CARD_PCSC_CARD_REMOVED, p->card_reader, 0);
}

int card_reader_pcsc_session_error(int error)
{
	return error == -EMEDIUMTYPE ? SESSION_ERROR_CARD_UNKNOWN : SESSION_ERROR_CARD_UNREADABLE;
}

/* ---- one read, on its own thread ------------------------------------------- */

/*
 * A card that never answers blocks SCardTransmit() for as long as the
 * reader driver lets it (vpcd: forever), and nothing in PC/SC cancels a
 * transmit. So each read runs on a thread of its own, with its own PC/SC
 * context, and the watch thread waits for it until the read deadline (plus
 * a grace period): past that the read is abandoned, CARD_FAILED is pushed,
 * and the read thread frees its job by itself whenever its transmit
 * returns (at the latest when the card leaves the field). The job is
 * reference-counted for that reason and never points back to struct pcsc.
 */
#define ABANDON_GRACE_US 500000u

struct job {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	bool done, cancel;
	/* inputs */
	char card_reader[NAME_MAX_LEN];
	char sam_reader[NAME_MAX_LEN]; /* "" = no SAM */
	bool have_unlock;
	uint8_t unlock[EKTP_UNLOCK_LEN];
	struct ektp_atr_pattern *atr_table;
	size_t n_atr;
	bool read_photo;
	uint64_t deadline_us;
	/* outputs */
	int result;
	bool sam_missing;
	struct ektp_identity id;
	uint64_t transmit_us;
	unsigned apdus;
};

static void job_unref(struct job *j)
{
	bool last;

	pthread_mutex_lock(&j->lock);
	last = --j->refs == 0;
	pthread_mutex_unlock(&j->lock);
	if (!last)
		return;
	ektp_identity_clear(&j->id);
	pthread_cond_destroy(&j->cond);
	pthread_mutex_destroy(&j->lock);
	free(j->atr_table);
	sodium_memzero(j, sizeof(*j));
	free(j);
}

static bool job_cancelled(struct job *j)
{
	bool c;

	pthread_mutex_lock(&j->lock);
	c = j->cancel;
	pthread_mutex_unlock(&j->lock);
	return c;
}

struct link {
	struct job *job;
	SCARDHANDLE h;
	DWORD proto;
};

static int link_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			 size_t resp_size, size_t *ret_len)
{
	struct link *l = ctx;
	const SCARD_IO_REQUEST *pci = l->proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
	DWORD rlen = (DWORD)resp_size;
	uint64_t t0;
	LONG rv;

	/* A card that answers slowly is cut off between commands: the
	 * deadline covers the whole read. */
	if (job_cancelled(l->job))
		return -ECANCELED;
	t0 = now_us();
	if (t0 > l->job->deadline_us)
		return -ETIMEDOUT;
	rv = SCardTransmit(l->h, pci, cmd, (DWORD)cmd_len, NULL, resp, &rlen);
	l->job->transmit_us += now_us() - t0;
	if (rv != SCARD_S_SUCCESS) {
		log_debug("card-pcsc: SCardTransmit: %s (0x%lx)", pcsc_stringify_error(rv),
			  (unsigned long)rv);
		return map_rv(rv);
	}
	if (rlen > resp_size)
		return -EBADMSG;
	*ret_len = rlen;
	return 0;
}

static int connect_reader(SCARDCONTEXT ctx, const char *name, SCARDHANDLE *ret_h, DWORD *ret_proto)
{
	LONG rv;

	rv = SCardConnect(ctx, name, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			  ret_h, ret_proto);
	if (rv != SCARD_S_SUCCESS) {
		log_debug("card-pcsc: SCardConnect: %s (0x%lx)", pcsc_stringify_error(rv),
			  (unsigned long)rv);
		return map_rv(rv);
	}
	rv = SCardBeginTransaction(*ret_h);
	if (rv != SCARD_S_SUCCESS) {
		log_debug("card-pcsc: SCardBeginTransaction: %s", pcsc_stringify_error(rv));
		SCardDisconnect(*ret_h, SCARD_LEAVE_CARD);
		return map_rv(rv);
	}
	return 0;
}

static void disconnect_reader(SCARDHANDLE h, DWORD disposition)
{
	SCardEndTransaction(h, SCARD_LEAVE_CARD);
	SCardDisconnect(h, disposition);
}

static int job_read(struct job *j, SCARDCONTEXT ctx)
{
	struct ektp_options opt = {
		.atr_table = j->atr_table,
		.n_atr = j->n_atr,
		.sam_unlock = j->have_unlock ? j->unlock : NULL,
		.read_photo = j->read_photo,
	};
	struct link card = {.job = j}, sam = {.job = j};
	struct apdu_transport card_t = {.transmit = link_transmit, .ctx = &card};
	struct apdu_transport sam_t = {.transmit = link_transmit, .ctx = &sam};
	uint8_t atr[MAX_ATR_SIZE];
	DWORD atr_len = sizeof(atr), st, proto, name_len = 0;
	bool sam_open = false;
	int r;

	r = connect_reader(ctx, j->card_reader, &card.h, &card.proto);
	if (r < 0)
		return r;
	if (SCardStatus(card.h, NULL, &name_len, &st, &proto, atr, &atr_len) != SCARD_S_SUCCESS ||
	    atr_len > EKTP_ATR_MAX) {
		disconnect_reader(card.h, SCARD_LEAVE_CARD);
		return -EIO;
	}
	if (j->have_unlock && j->sam_reader[0] &&
	    ektp_atr_match(j->atr_table, j->n_atr, atr, atr_len) >= 0) {
		r = connect_reader(ctx, j->sam_reader, &sam.h, &sam.proto);
		if (r < 0)
			log_debug("card-pcsc: SAM reader: %s", strerror(-r));
		sam_open = r >= 0;
		/* The card can still give its UID; the reader is degraded
		 * until the SAM answers again. */
		j->sam_missing = !sam_open;
	}
	r = ektp_read(atr, atr_len, &card_t, sam_open ? &sam_t : NULL, &opt, &j->id);
	/* The SAM is reset so that no authenticated state outlives the read. */
	if (sam_open)
		disconnect_reader(sam.h, SCARD_RESET_CARD);
	disconnect_reader(card.h, SCARD_LEAVE_CARD);
	j->apdus = card_t.n_apdus + sam_t.n_apdus;
	return r;
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	SCARDCONTEXT ctx;
	LONG rv;
	int r;

	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv == SCARD_S_SUCCESS) {
		r = job_read(j, ctx);
		SCardReleaseContext(ctx);
	} else {
		r = map_rv(rv);
	}
	pthread_mutex_lock(&j->lock);
	j->result = r;
	j->done = true;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
	job_unref(j);
	return NULL;
}

static struct job *job_new(struct pcsc *p, uint64_t deadline)
{
	struct job *j = calloc(1, sizeof(*j));
	pthread_condattr_t ca;

	if (!j)
		return NULL;
	j->atr_table = calloc(p->n_atr, sizeof(*j->atr_table));
	if (!j->atr_table) {
		free(j);
		return NULL;
	}
	memcpy(j->atr_table, p->atr_table, p->n_atr * sizeof(*j->atr_table));
	j->n_atr = p->n_atr;
	memcpy(j->card_reader, p->card_reader, sizeof(j->card_reader));
	memcpy(j->sam_reader, p->sam_reader, sizeof(j->sam_reader));
	j->have_unlock = p->have_unlock;
	memcpy(j->unlock, p->unlock, sizeof(j->unlock));
	j->read_photo = p->read_photo;
	j->deadline_us = deadline;
	j->refs = 2; /* the watch thread and the read thread */
	pthread_mutex_init(&j->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cond, &ca);
	pthread_condattr_destroy(&ca);
	return j;
}

/* Runs the read on its own thread and waits for it (see above). Returns
 * ektp_read()'s result; on success *id holds the identity. */
static int run_job(struct pcsc *p, uint64_t seen_us, struct ektp_identity *id,
		   uint64_t *ret_transmit_us, unsigned *ret_apdus)
{
	uint64_t deadline = seen_us + (uint64_t)p->read_timeout_ms * 1000u;
	uint64_t give_up = deadline + ABANDON_GRACE_US;
	struct job *j = job_new(p, deadline);
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (!j)
		return -ENOMEM;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = -pthread_create(&t, &attr, job_main, j);
	pthread_attr_destroy(&attr);
	if (r < 0) {
		j->refs = 1;
		job_unref(j);
		return r;
	}
	pthread_mutex_lock(&p->lock);
	p->job = j;
	if (p->stopping) {
		pthread_mutex_lock(&j->lock);
		j->cancel = true;
		pthread_mutex_unlock(&j->lock);
	}
	pthread_mutex_unlock(&p->lock);

	pthread_mutex_lock(&j->lock);
	while (!j->done && !j->cancel) {
		struct timespec ts = {.tv_sec = (time_t)(give_up / 1000000u),
				      .tv_nsec = (long)(give_up % 1000000u) * 1000L};

		if (pthread_cond_timedwait(&j->cond, &j->lock, &ts) == ETIMEDOUT)
			break;
	}
	if (j->done) {
		r = j->result;
		if (r == 0) {
			*id = j->id;
			sodium_memzero(&j->id, sizeof(j->id));
		}
		if (j->sam_missing)
			set_state(p, SESSION_DEVICE_DEGRADED);
	} else {
		/* Abandoned: the read thread ends by itself later. */
		r = j->cancel ? -ECANCELED : -ETIMEDOUT;
		j->cancel = true;
	}
	*ret_transmit_us = j->transmit_us;
	*ret_apdus = j->apdus;
	pthread_mutex_unlock(&j->lock);

	pthread_mutex_lock(&p->lock);
	p->job = NULL;
	pthread_mutex_unlock(&p->lock);
	job_unref(j);
	return r;
}

/* Reads the card on p->card_reader and pushes CARD_READ or CARD_FAILED.
 * atr is the one pcscd reported with the insertion: a failed read still
 * reports it (an unknown card's ATR is what a technician adds to the
 * config). */
static void read_card(struct pcsc *p, uint64_t seen_us, const uint8_t *atr, size_t atr_len)
{
	struct station_event ev = {0};
	struct card_pcsc_report rep = {.reader = p->card_reader};
	struct ektp_identity id = {0};
	uint64_t transmit_us = 0;
	unsigned apdus = 0;
	int r;

	r = run_job(p, seen_us, &id, &transmit_us, &apdus);
	rep.read_us = now_us() - seen_us;
	rep.transmit_us = transmit_us;
	rep.apdus = apdus;
	rep.atr = id.atr;
	rep.atr_len = id.atr_len;
	if (r < 0) {
		rep.atr = atr;
		rep.atr_len = atr_len;
		log_debug("card-pcsc: read failed: %s", strerror(-r));
		ev.type = STATION_EVENT_CARD_FAILED;
		ev.card_error = card_reader_pcsc_session_error(r);
		push(p, &ev);
		rep.kind = CARD_PCSC_CARD_FAILED;
		rep.error = r;
		report(p, &rep);
		return;
	}
	if (p->state == SESSION_DEVICE_DEGRADED && id.has_biodata)
		update_state(p);
	ev.type = STATION_EVENT_CARD_READ;
	ev.card.uid_len = id.uid_len;
	memcpy(ev.card.uid, id.uid, id.uid_len);
	if (id.has_biodata) {
		memcpy(ev.card.nik, id.bio.nik, sizeof(ev.card.nik));
		memcpy(ev.card.name, id.bio.name, sizeof(ev.card.name));
	}
	rep.kind = CARD_PCSC_CARD_READ;
	rep.identity = &id;
	push(p, &ev);
	report(p, &rep);
	ektp_identity_clear(&id);
	sodium_memzero(&rep, sizeof(rep));
}

/* ---- reader selection ----------------------------------------------------- */

static bool matches(const char *pattern, const char *name)
{
	return pattern[0] && fnmatch(pattern, name, 0) == 0;
}

/* Lists the readers and picks the card and SAM readers. Returns 0, or
 * -ESHUTDOWN when pcscd went away. */
static int pick_readers(struct pcsc *p, SCARDCONTEXT ctx)
{
	char card[NAME_MAX_LEN] = "", sam[NAME_MAX_LEN] = "";
	char *list = NULL;
	DWORD len = SCARD_AUTOALLOCATE;
	LONG rv;

	rv = SCardListReaders(ctx, NULL, (LPSTR)&list, &len);
	if (rv == SCARD_S_SUCCESS) {
		for (const char *name = list; name < list + len && *name;
		     name += strlen(name) + 1) {
			size_t n = strlen(name);
			bool is_sam = matches(p->sam_pattern, name);

			if (n >= NAME_MAX_LEN)
				continue;
			if (is_sam && !sam[0])
				memcpy(sam, name, n + 1);
			if (!is_sam && !card[0] &&
			    (!p->reader_pattern[0] || matches(p->reader_pattern, name)))
				memcpy(card, name, n + 1);
		}
		SCardFreeMemory(ctx, list);
	} else if (rv != SCARD_E_NO_READERS_AVAILABLE) {
		log_debug("card-pcsc: SCardListReaders: %s", pcsc_stringify_error(rv));
		if (map_rv(rv) == -ESHUTDOWN)
			return -ESHUTDOWN;
	}

	if (strcmp(card, p->card_reader) != 0) {
		if (p->card_reader[0]) {
			card_removed(p);
			report_simple(p, CARD_PCSC_READER_LOST, p->card_reader, 0);
		}
		memcpy(p->card_reader, card, sizeof(card));
		if (card[0])
			report_simple(p, CARD_PCSC_READER_FOUND, card, 0);
	}
	if (strcmp(sam, p->sam_reader) != 0) {
		if (p->sam_reader[0])
			report_simple(p, CARD_PCSC_SAM_LOST, p->sam_reader, 0);
		memcpy(p->sam_reader, sam, sizeof(sam));
		p->sam_present = false;
		if (sam[0])
			report_simple(p, CARD_PCSC_SAM_FOUND, sam, 0);
	}
	update_state(p);
	return 0;
}

/* ---- the watch loop ------------------------------------------------------- */

/* A change on the card reader: insertions, removals, reads. */
static void card_change(struct pcsc *p, SCARD_READERSTATE *st, bool *relist)
{
	DWORD ev = st->dwEventState;
	unsigned prev_count = (unsigned)(st->dwCurrentState >> 16);
	unsigned count = (unsigned)(ev >> 16);
	bool present = (ev & SCARD_STATE_PRESENT) != 0;
	uint64_t seen = now_us();

	st->dwCurrentState = ev & ~SCARD_STATE_CHANGED;
	if (ev & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE | SCARD_STATE_UNAVAILABLE)) {
		card_removed(p);
		*relist = true;
		return;
	}
	/* The event counter moved by more than one step while a card stayed
	 * present: it was swapped between two calls (a fast remove +
	 * insert). */
	if (present && p->card_present && count > prev_count + 1)
		card_removed(p);
	if (!present) {
		card_removed(p);
		return;
	}
	if (p->card_present)
		return;
	struct station_event iev = {.type = STATION_EVENT_CARD_INSERTED};

	p->card_present = true;
	push(p, &iev);
	if (ev & SCARD_STATE_MUTE) {
		struct station_event fev = {
			.type = STATION_EVENT_CARD_FAILED,
			.card_error = SESSION_ERROR_CARD_UNREADABLE,
		};
		push(p, &fev);
		report_simple(p, CARD_PCSC_CARD_FAILED, p->card_reader, -EIO);
		return;
	}
	struct card_pcsc_report rep = {
		.kind = CARD_PCSC_CARD_INSERTED,
		.reader = p->card_reader,
		.atr = st->rgbAtr,
		.atr_len = st->cbAtr <= MAX_ATR_SIZE ? st->cbAtr : 0,
	};
	report(p, &rep);
	read_card(p, seen, rep.atr, rep.atr_len);
}

/* Watches until pcscd goes away (-ESHUTDOWN) or stop (0). The pseudo-
 * reader, the card reader and the SAM reader are watched together; the
 * array passed to pcsc-lite is rebuilt each time from the ones there. */
static int watch(struct pcsc *p, SCARDCONTEXT ctx)
{
	SCARD_READERSTATE pnp = {.szReader = PNP_READER, .dwCurrentState = SCARD_STATE_UNAWARE};
	SCARD_READERSTATE card = {0}, sam = {0}, rs[3];
	bool relist = true;
	int card_i, sam_i;
	DWORD n;
	LONG rv;
	int r;

	for (;;) {
		int how;

		if (stopping(p))
			return 0;
		pthread_mutex_lock(&p->lock);
		how = p->recover;
		p->recover = 0;
		pthread_mutex_unlock(&p->lock);
		if (how == CARD_RECOVER_NEW_CONTEXT)
			return -ECONNRESET; /* thread_main makes a new context */
		if (how == CARD_RECOVER_REOPEN)
			relist = true;
		if (relist) {
			char before_card[NAME_MAX_LEN], before_sam[NAME_MAX_LEN];

			memcpy(before_card, p->card_reader, sizeof(before_card));
			memcpy(before_sam, p->sam_reader, sizeof(before_sam));
			r = pick_readers(p, ctx);
			if (r < 0)
				return r;
			if (strcmp(before_card, p->card_reader) != 0 || !card.szReader)
				card = (SCARD_READERSTATE){.szReader = p->card_reader,
							   .dwCurrentState = SCARD_STATE_UNAWARE};
			if (strcmp(before_sam, p->sam_reader) != 0 || !sam.szReader) {
				sam = (SCARD_READERSTATE){.szReader = p->sam_reader,
							  .dwCurrentState = SCARD_STATE_UNAWARE};
				p->sam_present = false;
				update_state(p);
			}
			relist = false;
		}
		n = 0;
		rs[n++] = pnp;
		card_i = p->card_reader[0] ? (int)n : -1;
		if (card_i >= 0)
			rs[n++] = card;
		sam_i = p->sam_reader[0] ? (int)n : -1;
		if (sam_i >= 0)
			rs[n++] = sam;
		rv = SCardGetStatusChange(ctx, INFINITE, rs, n);
		if (rv == SCARD_E_CANCELLED || rv == SCARD_E_TIMEOUT)
			continue;
		if (rv != SCARD_S_SUCCESS) {
			log_debug("card-pcsc: SCardGetStatusChange: %s (0x%lx)",
				  pcsc_stringify_error(rv), (unsigned long)rv);
			r = map_rv(rv);
			if (r == -ENODEV) {
				relist = true;
				continue;
			}
			return -ESHUTDOWN;
		}
		pnp = rs[0];
		if (pnp.dwEventState & SCARD_STATE_CHANGED) {
			pnp.dwCurrentState = pnp.dwEventState & ~SCARD_STATE_CHANGED;
			relist = true;
		}
		if (sam_i >= 0) {
			sam = rs[sam_i];
			if (sam.dwEventState & SCARD_STATE_CHANGED) {
				sam.dwCurrentState = sam.dwEventState & ~SCARD_STATE_CHANGED;
				if (sam.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE |
							SCARD_STATE_UNAVAILABLE))
					relist = true;
				p->sam_present = (sam.dwEventState & SCARD_STATE_PRESENT) != 0 &&
						 !(sam.dwEventState & SCARD_STATE_MUTE);
				update_state(p);
			}
		}
		if (card_i >= 0) {
			card = rs[card_i];
			if (card.dwEventState & SCARD_STATE_CHANGED)
				card_change(p, &card, &relist);
		}
	}
}

static void *thread_main(void *arg)
{
	struct pcsc *p = arg;
	unsigned backoff = p->backoff_min_ms;
	bool was_up = false;
	SCARDCONTEXT ctx;
	LONG rv;
	int r;

	while (!stopping(p)) {
		rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
		if (rv != SCARD_S_SUCCESS) {
			log_debug("card-pcsc: SCardEstablishContext: %s (0x%lx)",
				  pcsc_stringify_error(rv), (unsigned long)rv);
			if (p->state != SESSION_DEVICE_FAILED || was_up)
				report_simple(p, CARD_PCSC_SERVICE_DOWN, NULL, map_rv(rv));
			was_up = false;
			set_state(p, SESSION_DEVICE_FAILED);
			if (wait_or_stop(p, backoff))
				break;
			backoff = backoff * 2 > p->backoff_max_ms ? p->backoff_max_ms : backoff * 2;
			continue;
		}
		pthread_mutex_lock(&p->lock);
		p->ctx = ctx;
		p->ctx_live = true;
		pthread_mutex_unlock(&p->lock);
		report_simple(p, CARD_PCSC_SERVICE_UP, NULL, 0);
		was_up = true;
		backoff = p->backoff_min_ms;

		r = watch(p, ctx);

		pthread_mutex_lock(&p->lock);
		p->ctx_live = false;
		pthread_mutex_unlock(&p->lock);
		SCardReleaseContext(ctx);
		if (r == 0)
			break;
		if (r == -ECONNRESET) {
			/* The recovery ladder asked for a fresh context. */
			log_info("card-pcsc: new PC/SC context (recovery)");
			continue;
		}
		/* pcscd went away: the card and reader went with it. */
		card_removed(p);
		if (p->card_reader[0])
			report_simple(p, CARD_PCSC_READER_LOST, p->card_reader, 0);
		if (p->sam_reader[0])
			report_simple(p, CARD_PCSC_SAM_LOST, p->sam_reader, 0);
		p->card_reader[0] = '\0';
		p->sam_reader[0] = '\0';
		p->sam_present = false;
		report_simple(p, CARD_PCSC_SERVICE_DOWN, NULL, r);
		was_up = false;
		set_state(p, SESSION_DEVICE_FAILED);
		if (wait_or_stop(p, backoff))
			break;
	}
	pthread_mutex_lock(&p->lock);
	p->ended = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static int pcsc_start(struct card_reader *r)
{
	struct pcsc *p = r->ctx;
	int e = 0;

	pthread_mutex_lock(&p->lock);
	if (!p->started) {
		p->stopping = false;
		p->ended = false;
		p->state = -1;
		e = -pthread_create(&p->thread, NULL, thread_main, p);
		p->started = e == 0;
	}
	pthread_mutex_unlock(&p->lock);
	return e;
}

static void pcsc_stop(struct card_reader *r)
{
	struct pcsc *p = r->ctx;
	struct timespec ts;

	pthread_mutex_lock(&p->lock);
	if (!p->started) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	p->stopping = true;
	pthread_cond_broadcast(&p->cond);
	if (p->job) {
		pthread_mutex_lock(&p->job->lock);
		p->job->cancel = true;
		pthread_cond_broadcast(&p->job->cond);
		pthread_mutex_unlock(&p->job->lock);
	}
	while (!p->ended) {
		if (p->ctx_live)
			SCardCancel(p->ctx);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->cond, &p->lock, &ts);
	}
	p->started = false;
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
}

static void pcsc_free_ctx(void *ctx)
{
	struct pcsc *p = ctx;

	if (!p)
		return;
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p->reader_pattern);
	free(p->sam_pattern);
	free(p->atr_table);
	sodium_memzero(p, sizeof(*p));
	free(p);
}

/* A remedy for the watch thread: it looks at it each time round, and a
 * cancel wakes it from SCardGetStatusChange(). Without a live context the
 * thread is already making a new one, with its own backoff. */
static int pcsc_recover(struct card_reader *r, int how)
{
	struct pcsc *p = r->ctx;

	pthread_mutex_lock(&p->lock);
	if (how > p->recover)
		p->recover = how;
	if (p->ctx_live)
		SCardCancel(p->ctx);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static const struct card_reader_ops pcsc_ops = {
	.name = "pcsc",
	.start = pcsc_start,
	.stop = pcsc_stop,
	.recover = pcsc_recover,
	.free_ctx = pcsc_free_ctx,
};

int card_reader_pcsc_new(struct station_queue *q, const struct card_reader_pcsc_config *cfg,
			 struct card_reader **ret)
{
	const struct ektp_atr_pattern *table;
	struct card_reader *r = NULL;
	struct pcsc *p = NULL;
	pthread_condattr_t ca;
	size_t n_table;

	if (!q || !cfg || !ret)
		return -EINVAL;
	table = cfg->atr_table;
	n_table = cfg->n_atr;
	if (!table)
		table = ektp_atr_default_table(&n_table);
	if (n_table == 0)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	p = calloc(1, sizeof(*p));
	if (!r || !p)
		goto nomem;
	p->reader_pattern = strdup(cfg->reader_pattern ? cfg->reader_pattern : "");
	p->sam_pattern = strdup(cfg->sam_reader_pattern ? cfg->sam_reader_pattern : "");
	p->atr_table = calloc(n_table, sizeof(*table));
	if (!p->reader_pattern || !p->sam_pattern || !p->atr_table)
		goto nomem;
	memcpy(p->atr_table, table, n_table * sizeof(*table));
	p->n_atr = n_table;
	if (cfg->sam_unlock) {
		memcpy(p->unlock, cfg->sam_unlock, EKTP_UNLOCK_LEN);
		p->have_unlock = true;
	}
	p->read_photo = cfg->read_photo;
	p->read_timeout_ms = cfg->read_timeout_ms ? cfg->read_timeout_ms : 5000;
	p->backoff_min_ms = cfg->backoff_min_ms ? cfg->backoff_min_ms : 200;
	p->backoff_max_ms = cfg->backoff_max_ms ? cfg->backoff_max_ms : 5000;
	if (p->backoff_max_ms < p->backoff_min_ms)
		p->backoff_max_ms = p->backoff_min_ms;
	p->observe = cfg->observe;
	p->userdata = cfg->userdata;
	p->state = -1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	p->reader = r;
	*r = (struct card_reader){.ops = &pcsc_ops, .ctx = p, .queue = q};
	*ret = r;
	return 0;
nomem:
	if (p) {
		free(p->reader_pattern);
		free(p->sam_pattern);
		free(p->atr_table);
	}
	free(p);
	free(r);
	return -ENOMEM;
}

const char *card_pcsc_report_kind_to_string(enum card_pcsc_report_kind k)
{
	static const char *const names[_CARD_PCSC_REPORT_KIND_MAX] = {
		[CARD_PCSC_SERVICE_UP] = "service-up",
		[CARD_PCSC_SERVICE_DOWN] = "service-down",
		[CARD_PCSC_READER_FOUND] = "reader-found",
		[CARD_PCSC_READER_LOST] = "reader-lost",
		[CARD_PCSC_SAM_FOUND] = "sam-found",
		[CARD_PCSC_SAM_LOST] = "sam-lost",
		[CARD_PCSC_CARD_INSERTED] = "card-inserted",
		[CARD_PCSC_CARD_READ] = "card-read",
		[CARD_PCSC_CARD_FAILED] = "card-failed",
		[CARD_PCSC_CARD_REMOVED] = "card-removed",
	};

	if ((int)k < 0 || k >= _CARD_PCSC_REPORT_KIND_MAX)
		return "invalid";
	return names[k];
}
