/* SPDX-License-Identifier: MIT */
/*
 * A virtual e-KTP and a virtual SAM, as pure APDU processors: bytes in,
 * bytes out, no sockets. vcard.c puts them on vpcd's sockets; the unit
 * tests (tests/unit/test-ektp.c) call them in-process.
 *
 * The card: an ATR of type A or B (or of some other card), the UID through
 * FF CA 00 00 00, DF 7F0A with EF 6FF1 (biodata, in the layout documented
 * in devices/ektp-biodata.h) and EF 6FF2 (a photo-sized blob), reachable
 * only through secure messaging after mutual authentication with the SAM.
 *
 * The secure messaging is ours (the real one is not public): card and SAM
 * share a 32-byte test key K. The SAM answers the card's challenge RND.ICC
 * with RND.SAM || HMAC-SHA256(K, "EXT" RND.ICC RND.SAM); the card checks
 * it and answers HMAC(K, "INT" RND.SAM RND.ICC), which the SAM checks.
 * Session keys: HMAC(K, "ENC" ...), HMAC(K, "MAC" ...). A protected APDU
 * is 0C INS P1 P2 Lc [counter(4) | ChaCha20(plain) | MAC(8)] 00; a
 * protected response is [counter | ChaCha20(plain response) | MAC] 90 00.
 * The station only relays: it never sees K nor the session keys.
 *
 * Faults (misbehaviours) make the card or SAM answer wrong on purpose.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VCARD_KEY_LEN  32
#define VCARD_FILE_MAX 8192
#define VCARD_RESP_MAX 300 /* room for the oversized fault */

enum vcard_type {
	VCARD_TYPE_A,
	VCARD_TYPE_B,
	VCARD_TYPE_OTHER, /* a MIFARE-like card: not an e-KTP */
};

enum vcard_fault {
	VCARD_FAULT_NONE,
	VCARD_FAULT_UID_SW,	   /* FF CA answers 6A 81 */
	VCARD_FAULT_TRUNCATED,	   /* FF CA answers one byte, no SW */
	VCARD_FAULT_EMPTY,	   /* FF CA answers nothing at all */
	VCARD_FAULT_OVERSIZED,	   /* FF CA answers 290 bytes */
	VCARD_FAULT_READ_TOO_LONG, /* READ BINARY gives more than Le */
	VCARD_FAULT_READ_SW,	   /* protected READ BINARY refused: 69 82 */
	VCARD_FAULT_BAD_MAC,	   /* protected responses carry a wrong MAC */
	VCARD_FAULT_BAD_AUTH,	   /* EXTERNAL AUTHENTICATE answers 63 00 */
	VCARD_FAULT_BAD_BIODATA,   /* the NIK's birth date disagrees with 04 */
	VCARD_FAULT_HUGE_BIODATA,  /* the template claims 6000 bytes */
	VCARD_FAULT_MUTE,	   /* never answers an APDU (vcard.c) */
	VCARD_FAULT_SLOW,	   /* answers each APDU late (vcard.c) */
	VCARD_FAULT_REMOVE,	   /* leaves the field mid-read (vcard.c) */
	_VCARD_FAULT_MAX,
};

struct vcard_identity {
	const char *nik; /* 16 digits; sex and birth date follow from it */
	const char *name;
	const char *birth_place;
	const char *address;
	const char *rt_rw;
	const char *village;
	const char *district;
	const char *regency;
	const char *province;
};

struct vcard_card {
	enum vcard_type type;
	enum vcard_fault fault;
	uint8_t atr[33];
	size_t atr_len;
	uint8_t uid[10];
	size_t uid_len;
	uint8_t key[VCARD_KEY_LEN];
	uint8_t biodata[VCARD_FILE_MAX];
	size_t biodata_len;
	uint8_t photo[VCARD_FILE_MAX];
	size_t photo_len;
	/* session */
	bool df_selected, authenticated;
	uint16_t ef;
	uint8_t rnd_icc[8], rnd_sam[8];
	bool challenged;
	uint8_t k_enc[32], k_mac[32];
	uint32_t counter;
	unsigned apdus;
};

struct vcard_sam {
	uint8_t key[VCARD_KEY_LEN];
	uint8_t unlock[32];
	bool unlocked, authenticated;
	uint8_t rnd_icc[8], rnd_sam[8];
	uint8_t k_enc[32], k_mac[32];
	uint32_t counter;
	unsigned apdus;
};

/* The test key and unlock credentials used by default. */
extern const uint8_t vcard_test_key[VCARD_KEY_LEN];
extern const uint8_t vcard_test_unlock[32];

/* Builds a card. uid NULL: a random one of uid_len (4 for type B, 7 else).
 * Returns 0, or -EINVAL when the identity does not fit the layout. */
int vcard_card_init(struct vcard_card *c, enum vcard_type type, const struct vcard_identity *id,
		    const uint8_t *uid, size_t uid_len);
void vcard_sam_init(struct vcard_sam *s);

/* Power-on / reset: back to the unauthenticated state. */
void vcard_card_reset(struct vcard_card *c);
void vcard_sam_reset(struct vcard_sam *s);

/* Processes one C-APDU; writes the R-APDU (at most VCARD_RESP_MAX bytes)
 * and returns its length (0 is possible with VCARD_FAULT_EMPTY). */
size_t vcard_card_apdu(struct vcard_card *c, const uint8_t *cmd, size_t n, uint8_t *resp);
size_t vcard_sam_apdu(struct vcard_sam *s, const uint8_t *cmd, size_t n, uint8_t *resp);

int vcard_fault_from_string(const char *s, enum vcard_fault *ret);
const char *vcard_fault_to_string(enum vcard_fault f);
