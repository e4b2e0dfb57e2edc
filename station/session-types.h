/* SPDX-License-Identifier: MIT */
/*
 * Value types shared by the session state machine, its events and the UI.
 * Plain data, no behaviour; every enum that reaches logs or diagnostics has
 * a *_to_string() in session.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SESSION_TOKEN_MAX 512 /* longest QR token accepted, bytes */
#define SESSION_ID_MAX	  39  /* application / document id */
#define SESSION_MAX_APPS  16  /* applications kept per lookup */
#define SESSION_PIN_MAX	  8   /* digits of a technician PIN */

enum session_state {
	SESSION_WELCOME,	   /* attract screen, waiting for a card or QR */
	SESSION_READING_CARD,	   /* identifying: a card is being read */
	SESSION_SCANNING_QR,	   /* identifying: camera preview, waiting */
	SESSION_LOOKING_UP,	   /* waiting for the backend */
	SESSION_SHOWING_STATUS,	   /* the citizen's applications */
	SESSION_CHOOSING_DOCUMENT, /* a ready document: confirm printing it */
	SESSION_PRINTING_RECEIPT,
	SESSION_PRINTING_DOCUMENT,
	SESSION_DONE,		   /* "take your receipt / document" */
	SESSION_ERROR,		   /* .error says which */
	SESSION_IDLE_COUNTDOWN,	   /* "session ends in N s, touch to continue" */
	SESSION_MAINTENANCE_LOGIN, /* technician PIN pad */
	SESSION_MAINTENANCE,	   /* technician screens */
	SESSION_OUT_OF_SERVICE,	   /* a required device is down */
	_SESSION_STATE_MAX,
	_SESSION_STATE_INVALID = -22,
};

enum session_error {
	SESSION_ERROR_NONE,
	SESSION_ERROR_CARD_UNREADABLE, /* read failed or card pulled too soon */
	SESSION_ERROR_CARD_UNKNOWN,    /* not an e-KTP */
	SESSION_ERROR_CARD_DAMAGED,    /* failed again and again: see session.h */
	SESSION_ERROR_QR_INVALID,      /* malformed or bad signature */
	SESSION_ERROR_QR_EXPIRED,
	SESSION_ERROR_QR_NOT_MPP,	   /* some other QR code (URL, payment) */
	SESSION_ERROR_NOT_FOUND,	   /* backend knows no application */
	SESSION_ERROR_BACKEND_UNREACHABLE, /* down, timed out, or bad answer */
	SESSION_ERROR_PRINTER_PAPER_OUT,
	SESSION_ERROR_PRINTER_COVER_OPEN,
	SESSION_ERROR_PRINTER_OFFLINE,
	SESSION_ERROR_PRINT_FAILED, /* aborted, timed out, or refused doc */
	_SESSION_ERROR_MAX,
	_SESSION_ERROR_INVALID = -22,
};

/* Buttons the UI can report. The UI maps screen positions to these; the
 * scenario language names them with session_button_to_string(). */
enum session_button {
	SESSION_BUTTON_ANY,	      /* a touch anywhere (wakes, continues) */
	SESSION_BUTTON_SCAN_QR,	      /* welcome: "show a QR code" */
	SESSION_BUTTON_PRINT_RECEIPT, /* status: print a status receipt */
	SESSION_BUTTON_DOCUMENT,      /* status: collect document of app .index */
	SESSION_BUTTON_CONFIRM,	      /* choosing document: print it */
	SESSION_BUTTON_BACK,	      /* one screen back */
	SESSION_BUTTON_FINISH,	      /* end the session now */
	SESSION_BUTTON_NEXT_PAGE,
	SESSION_BUTTON_PREV_PAGE,
	SESSION_BUTTON_LANGUAGE,    /* toggle id <-> en */
	SESSION_BUTTON_OK,	    /* dismiss an error */
	SESSION_BUTTON_MAINTENANCE, /* hidden corner on welcome */
	SESSION_BUTTON_PIN_DIGIT,   /* .index = 0..9 */
	SESSION_BUTTON_PIN_CLEAR,
	SESSION_BUTTON_PIN_ENTER,
	SESSION_BUTTON_CONTRAST,     /* toggle high contrast, large text */
	SESSION_BUTTON_DIAG_REFRESH, /* maintenance: run the report again */
	SESSION_BUTTON_DIAG_TEST,    /* maintenance: test device .index
				      * (enum session_device) */
	SESSION_BUTTON_DIAG_FAULTS,  /* maintenance: the recent faults <-> the report */
	_SESSION_BUTTON_MAX,
	_SESSION_BUTTON_INVALID = -22,
};

enum session_stage {
	SESSION_STAGE_RECEIVED,		/* diterima */
	SESSION_STAGE_VERIFYING,	/* verifikasi berkas */
	SESSION_STAGE_NEEDS_FIX,	/* perlu perbaikan: next_step says what */
	SESSION_STAGE_PROCESSING,	/* diproses */
	SESSION_STAGE_AWAITING_PAYMENT, /* menunggu pembayaran */
	SESSION_STAGE_READY,		/* selesai, siap diambil */
	SESSION_STAGE_COLLECTED,	/* sudah diambil */
	SESSION_STAGE_REJECTED,		/* ditolak: next_step says why */
	_SESSION_STAGE_MAX,
	_SESSION_STAGE_INVALID = -22,
};

enum session_print_kind {
	SESSION_PRINT_RECEIPT,
	SESSION_PRINT_DOCUMENT,
	_SESSION_PRINT_KIND_MAX,
	_SESSION_PRINT_KIND_INVALID = -22,
};

enum session_print_result {
	SESSION_PRINT_OK, /* the printer says the job completed */
	SESSION_PRINT_PAPER_OUT,
	SESSION_PRINT_COVER_OPEN,
	SESSION_PRINT_OFFLINE,
	SESSION_PRINT_FAILED, /* aborted, refused, or document invalid */
	SESSION_PRINT_CANCELLED,
	_SESSION_PRINT_RESULT_MAX,
	_SESSION_PRINT_RESULT_INVALID = -22,
};

enum session_pin_result {
	SESSION_PIN_OK,
	SESSION_PIN_WRONG,
	SESSION_PIN_LOCKED, /* too many failures: locked out for a while */
	_SESSION_PIN_RESULT_MAX,
	_SESSION_PIN_RESULT_INVALID = -22,
};

enum session_device {
	SESSION_DEVICE_CARD_READER,
	SESSION_DEVICE_CAMERA,
	SESSION_DEVICE_RECEIPT_PRINTER,
	SESSION_DEVICE_DOCUMENT_PRINTER,
	SESSION_DEVICE_BACKEND,
	_SESSION_DEVICE_MAX,
	_SESSION_DEVICE_INVALID = -22,
};

enum session_device_state {
	SESSION_DEVICE_OK,
	SESSION_DEVICE_DEGRADED, /* works, needs attention (paper low) */
	SESSION_DEVICE_FAILED,
	SESSION_DEVICE_RECOVERING,
	_SESSION_DEVICE_STATE_MAX,
	_SESSION_DEVICE_STATE_INVALID = -22,
};

/* The diagnostic report as the maintenance screen shows it (a summary of
 * `station diag`: station/diag.h). Technical only, no personal data. */
#define SESSION_DIAG_SECTIONS_MAX 16
struct session_diag_section {
	char name[24];	   /* "pcscd", "receipt_printer", ... */
	int verdict;	   /* enum diag_verdict: 0 ok, 1 degraded, 2 failed */
	char summary[112]; /* its one line, cut to fit */
};

/* One line of the fault log (fault-log.h), newest first. */
#define SESSION_DIAG_FAULTS_MAX 12
struct session_diag_fault {
	char time[24];	 /* ISO 8601, UTC: "2026-11-23T07:41:02Z" */
	char device[24]; /* session_device_to_string() */
	char from[16];	 /* session_device_state_to_string() */
	char state[16];
};

struct session_diag {
	size_t n;
	struct session_diag_section sections[SESSION_DIAG_SECTIONS_MAX];
	int verdict; /* the whole report's */
	size_t n_faults;
	struct session_diag_fault faults[SESSION_DIAG_FAULTS_MAX];
};

/* One application of the citizen, as the backend reported it. All strings
 * are NUL-terminated UTF-8, possibly empty. Personal data: wiped on
 * session end. */
struct session_app {
	char id[SESSION_ID_MAX + 1];
	char agency[64];
	char service[96];
	enum session_stage stage;
	char updated_at[32];		      /* ISO 8601 date or date-time */
	char next_step[192];		      /* what to bring or do next / why rejected */
	char document_id[SESSION_ID_MAX + 1]; /* non-empty iff ready to collect */
};

/* What a lookup returns. Personal data. */
struct session_lookup_result {
	char holder_name[64]; /* full name as the backend has it */
	char nik[17];	      /* "" if the backend did not say */
	size_t n_apps;
	struct session_app apps[SESSION_MAX_APPS];
};
