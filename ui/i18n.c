/* SPDX-License-Identifier: MIT */
/*
 * The string table, and its translations.
 *
 * Bahasa Indonesia is the source language: the msgids below are what a
 * citizen sees by default, written plainly (what happened, then what to
 * do); stage names follow the wording MPP counters use (DOMAIN.md). They
 * are marked with N_() for xgettext, which extracts po/anjungan.pot at
 * build time; po/<lang>.po translates them (po/README.md), msgfmt compiles
 * <builddir>/share/locale/<lang>/LC_MESSAGES/anjungan.mo.
 *
 * Why our own .mo reader (mo.c) and not libintl's dgettext(): the
 * language is chosen per session with one tap, so both languages are
 * needed at once in one process, from the drawing thread and others.
 * glibc's gettext picks the catalogue from the calling thread's
 * LC_MESSAGES locale and the LANGUAGE variable. A per-thread locale
 * (newlocale() + uselocale()) must exist on the system: the kiosk image
 * has only C, C.UTF-8 and POSIX (`locale -a`), and newlocale() of
 * "en_US.UTF-8" returns NULL there. LANGUAGE does work under C.UTF-8 (not
 * under "C", which glibc never translates), but it is one environment
 * variable for the whole process: switching it between lookups races with
 * every other thread's getenv() and needs glibc's catalogue cache
 * invalidated each time. Reading the compiled catalogue ourselves needs
 * none of that, and keeps the lookups plain reads of immutable tables.
 *
 * Where the catalogues are: $STATION_LOCALEDIR when set (and then only
 * there), else <prefix>/share/locale beside the running binary
 * (/proc/self/exe/../../share/locale: the installed tree, and the build tree
 * for the station, the gallery and the unit tests), else the build tree's
 * own, compiled in for programs deeper in it. A missing or broken catalogue
 * is logged once at error level and its language shows the msgids.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "mo.h"

/* Marks a msgid for xgettext; NC_() one that needs a context (stored as
 * msgfmt does, "context\004msgid"). */
#define N_(s)	  s
#define NC_(c, s) c "\004" s

#define TEXT_DOMAIN "anjungan"

static const char *const msgids[_UI_TEXT_MAX] = {
	[UI_TEXT_HEADER_NAME] = N_("Anjungan Layanan Mandiri"),
	[UI_TEXT_HEADER_PLACE] = N_("Mal Pelayanan Publik"),
	[UI_TEXT_FOOTER_HELP] = N_("Butuh bantuan? Hubungi petugas di meja informasi."),
	[UI_TEXT_FOOTER_STATION] = N_("Anjungan {1}"),
	[UI_TEXT_DEMO_HINT] =
		N_("DEMO — tombol: 1-9 tempel kartu, Q kode QR, R angkat kartu, Esc keluar"),
	/* TRANSLATORS: the switch to the other language, named in that language. */
	[UI_TEXT_LANGUAGE_SWITCH] = N_("English"),
	/* TRANSLATORS: the switch to high contrast and large text; short. */
	[UI_TEXT_CONTRAST_SWITCH] = N_("Kontras"),
	[UI_TEXT_BACK] = N_("Kembali"),
	[UI_TEXT_CANCEL] = N_("Batal"),
	[UI_TEXT_FINISH] = N_("Selesai"),
	[UI_TEXT_OK] = N_("OK"),

	[UI_TEXT_WELCOME_TITLE] = N_("Selamat datang"),
	[UI_TEXT_WELCOME_SUBTITLE] = N_("Cek status permohonan dan ambil dokumen Anda di sini."),
	[UI_TEXT_WELCOME_CARD] = N_("Tempelkan e-KTP pada pembaca kartu"),
	[UI_TEXT_WELCOME_CARD_HINT] = N_("Untuk melihat status semua permohonan Anda"),
	[UI_TEXT_WELCOME_QR] = N_("Pindai kode QR"),
	[UI_TEXT_WELCOME_QR_HINT] =
		N_("Dari bukti permohonan, SMS, atau e-mail — untuk mengambil dokumen"),
	[UI_TEXT_WELCOME_OR] = N_("atau"),

	[UI_TEXT_READING_TITLE] = N_("Membaca kartu…"),
	[UI_TEXT_READING_HINT] = N_("Tahan kartu tetap di tempat"),

	[UI_TEXT_SCAN_TITLE] = N_("Arahkan kode QR ke kamera"),
	[UI_TEXT_SCAN_HINT] = N_("Kode QR ada pada bukti permohonan, SMS, atau e-mail Anda. Pegang "
				 "kira-kira sejengkal "
				 "dari kamera."),
	[UI_TEXT_SCAN_FRAME] = N_("Letakkan kode QR di dalam bingkai"),

	[UI_TEXT_LOOKUP_TITLE] = N_("Mencari data permohonan Anda…"),
	[UI_TEXT_LOOKUP_HINT] = N_("Mohon tunggu sebentar"),

	[UI_TEXT_STATUS_HELLO] = N_("Halo, {1}"),
	[UI_TEXT_STATUS_HELLO_ANONYMOUS] = N_("Status permohonan Anda"),
	[UI_TEXT_STATUS_NIK] = N_("NIK {1}"),
	[UI_TEXT_STATUS_COUNT_ONE] = N_("1 permohonan"),
	[UI_TEXT_STATUS_COUNT] = N_("{1} permohonan"),
	[UI_TEXT_STATUS_NONE] = N_("Tidak ada permohonan untuk ditampilkan."),
	[UI_TEXT_STATUS_UPDATED] = N_("Diperbarui {1}"),
	[UI_TEXT_STATUS_COLLECT] = N_("Ambil dokumen"),
	[UI_TEXT_STATUS_PAGE] = N_("Halaman {1} dari {2}"),
	[UI_TEXT_STATUS_PREV] = N_("Sebelumnya"),
	[UI_TEXT_STATUS_NEXT] = N_("Berikutnya"),
	[UI_TEXT_STATUS_PRINT] = N_("Cetak bukti status"),
	[UI_TEXT_STATUS_PRINT_UNAVAILABLE] = N_("Printer struk sedang tidak tersedia"),

	[UI_TEXT_STAGE_RECEIVED] = N_("Diterima"),
	[UI_TEXT_STAGE_VERIFYING] = N_("Verifikasi berkas"),
	[UI_TEXT_STAGE_NEEDS_FIX] = N_("Perlu perbaikan"),
	[UI_TEXT_STAGE_PROCESSING] = N_("Diproses"),
	[UI_TEXT_STAGE_AWAITING_PAYMENT] = N_("Menunggu pembayaran"),
	[UI_TEXT_STAGE_READY] = N_("Siap diambil"),
	[UI_TEXT_STAGE_COLLECTED] = N_("Sudah diambil"),
	[UI_TEXT_STAGE_REJECTED] = N_("Ditolak"),

	[UI_TEXT_DOC_TITLE] = N_("Dokumen Anda siap dicetak"),
	[UI_TEXT_DOC_HINT] =
		N_("Dokumen dicetak pada kertas A4. Ambil dari printer setelah selesai."),
	[UI_TEXT_DOC_CONFIRM] = N_("Cetak dokumen"),
	[UI_TEXT_DOC_UNAVAILABLE] =
		N_("Printer dokumen sedang tidak tersedia. Silakan tanyakan ke loket."),

	[UI_TEXT_PRINTING_TITLE] = N_("Sedang mencetak…"),
	[UI_TEXT_PRINTING_RECEIPT] = N_("Bukti status Anda sedang dicetak"),
	[UI_TEXT_PRINTING_DOCUMENT] = N_("Dokumen Anda sedang dicetak"),
	[UI_TEXT_PRINTING_HINT] = N_("Mohon tunggu dan jangan tinggalkan anjungan"),

	[UI_TEXT_DONE_RECEIPT] = N_("Silakan ambil struk Anda"),
	[UI_TEXT_DONE_DOCUMENT] = N_("Silakan ambil dokumen Anda"),
	[UI_TEXT_DONE_THANKS] = N_("Terima kasih telah menggunakan layanan mandiri MPP."),
	[UI_TEXT_DONE_BACK] = N_("Kembali ke daftar permohonan"),

	[UI_TEXT_ERROR_NONE_TITLE] = N_("Terjadi kendala"),
	[UI_TEXT_ERROR_NONE_ACTION] = N_("Silakan coba lagi atau tanyakan ke petugas."),
	[UI_TEXT_ERROR_CARD_UNREADABLE_TITLE] = N_("Kartu tidak terbaca"),
	[UI_TEXT_ERROR_CARD_UNREADABLE_ACTION] =
		N_("Tempelkan kembali kartu dan tahan hingga selesai."),
	[UI_TEXT_ERROR_CARD_UNKNOWN_TITLE] = N_("Kartu tidak dikenali"),
	[UI_TEXT_ERROR_CARD_UNKNOWN_ACTION] = N_("Gunakan e-KTP (KTP elektronik) Anda."),
	[UI_TEXT_ERROR_CARD_DAMAGED_TITLE] = N_("Chip kartu tampaknya rusak"),
	[UI_TEXT_ERROR_CARD_DAMAGED_ACTION] = N_(
		"Kartu sudah beberapa kali gagal dibaca. Silakan bawa e-KTP Anda ke loket Dukcapil "
		"atau meja layanan untuk diperiksa."),
	[UI_TEXT_ERROR_QR_INVALID_TITLE] = N_("Kode QR tidak sah"),
	[UI_TEXT_ERROR_QR_INVALID_ACTION] = N_("Pastikan kode QR utuh dan tidak buram, lalu coba "
					       "lagi. Jika tetap gagal, tanyakan ke "
					       "loket."),
	[UI_TEXT_ERROR_QR_EXPIRED_TITLE] = N_("Kode QR sudah kedaluwarsa"),
	[UI_TEXT_ERROR_QR_EXPIRED_ACTION] = N_("Minta kode baru lewat SMS/e-mail atau di loket."),
	[UI_TEXT_ERROR_QR_NOT_MPP_TITLE] = N_("Ini bukan kode QR MPP"),
	[UI_TEXT_ERROR_QR_NOT_MPP_ACTION] = N_("Gunakan kode QR pada bukti permohonan, SMS, atau "
					       "e-mail dari Mal Pelayanan Publik."),
	[UI_TEXT_ERROR_NOT_FOUND_TITLE] = N_("Data permohonan tidak ditemukan"),
	[UI_TEXT_ERROR_NOT_FOUND_ACTION] = N_(
		"Belum ada permohonan yang tercatat untuk identitas ini. Silakan tanyakan ke loket "
		"layanan."),
	[UI_TEXT_ERROR_BACKEND_UNREACHABLE_TITLE] = N_("Layanan sedang tidak tersedia"),
	[UI_TEXT_ERROR_BACKEND_UNREACHABLE_ACTION] =
		N_("Silakan coba lagi beberapa menit lagi, atau tanyakan ke meja informasi."),
	[UI_TEXT_ERROR_PRINTER_PAPER_OUT_TITLE] = N_("Kertas printer habis"),
	[UI_TEXT_ERROR_PRINTER_PAPER_OUT_ACTION] =
		N_("Petugas sudah diberi tahu. Silakan coba lagi nanti atau tanyakan ke loket."),
	[UI_TEXT_ERROR_PRINTER_COVER_OPEN_TITLE] = N_("Penutup printer terbuka"),
	[UI_TEXT_ERROR_PRINTER_COVER_OPEN_ACTION] =
		N_("Petugas sudah diberi tahu. Silakan coba lagi nanti atau tanyakan ke loket."),
	[UI_TEXT_ERROR_PRINTER_OFFLINE_TITLE] = N_("Printer tidak tersambung"),
	[UI_TEXT_ERROR_PRINTER_OFFLINE_ACTION] =
		N_("Petugas sudah diberi tahu. Silakan coba lagi nanti atau tanyakan ke loket."),
	[UI_TEXT_ERROR_PRINT_FAILED_TITLE] = N_("Pencetakan gagal"),
	[UI_TEXT_ERROR_PRINT_FAILED_ACTION] = N_(
		"Dokumen belum tercetak dan BELUM dicatat sebagai diambil. Silakan coba lagi atau "
		"tanyakan ke loket."),

	[UI_TEXT_COUNTDOWN_TITLE] = N_("Sesi akan berakhir dalam {1} detik"),
	[UI_TEXT_COUNTDOWN_HINT] = N_("Sentuh layar untuk lanjut"),
	[UI_TEXT_COUNTDOWN_PRIVACY] = N_("Data Anda akan dihapus dari layar"),

	[UI_TEXT_PIN_TITLE] = N_("Mode petugas"),
	[UI_TEXT_PIN_PROMPT] = N_("Masukkan PIN petugas"),
	[UI_TEXT_PIN_WRONG] = N_("PIN salah. Coba lagi."),
	[UI_TEXT_PIN_LOCKED] = N_("Terlalu banyak percobaan. Coba lagi nanti."),
	[UI_TEXT_PIN_CHECKING] = N_("Memeriksa PIN…"),
	[UI_TEXT_PIN_CLEAR] = N_("Hapus"),
	[UI_TEXT_PIN_ENTER] = N_("Masuk"),

	[UI_TEXT_MAINT_TITLE] = N_("Status perangkat"),
	/* TRANSLATORS: maintenance: "Tes" is the button beside each device. */
	[UI_TEXT_MAINT_HINT] = N_("Tekan Tes di samping perangkat untuk mengujinya."),
	[UI_TEXT_MAINT_DEVICE] = N_("Perangkat"),
	[UI_TEXT_MAINT_STATE] = N_("Keadaan"),
	[UI_TEXT_MAINT_EXIT] = N_("Keluar"),
	/* TRANSLATORS: maintenance: the live `station diag` report. */
	[UI_TEXT_MAINT_DIAG_TITLE] = N_("Laporan diagnosis"),
	[UI_TEXT_MAINT_DIAG_PENDING] = N_("Mengumpulkan laporan…"),
	[UI_TEXT_MAINT_DIAG_REFRESH] = N_("Perbarui"),
	/* TRANSLATORS: maintenance: the active tests (`station diag test`). */
	[UI_TEXT_MAINT_TEST] = N_("Tes"),
	[UI_TEXT_MAINT_TEST_TITLE] = N_("Uji perangkat"),
	/* TRANSLATORS: {1} is a device's name ("Pembaca kartu"). */
	[UI_TEXT_MAINT_TESTING] = N_("Menguji {1}…"),
	[UI_TEXT_MAINT_TEST_CARD] = N_("Tempelkan sebuah kartu pada pembaca kartu."),
	[UI_TEXT_MAINT_TEST_QR] = N_("Tunjukkan sebuah kode QR ke kamera."),
	[UI_TEXT_MAINT_TEST_PRINT] = N_("Mencetak halaman uji…"),
	[UI_TEXT_MAINT_TEST_BACKEND] = N_("Menghubungi server layanan…"),
	/* TRANSLATORS: maintenance: buttons switching between the device
	 * fault log and the report. */
	[UI_TEXT_MAINT_FAULTS] = N_("Gangguan"),
	[UI_TEXT_MAINT_REPORT] = N_("Laporan"),
	[UI_TEXT_MAINT_FAULTS_TITLE] = N_("Gangguan terakhir"),
	[UI_TEXT_MAINT_FAULTS_NONE] = N_("Belum ada gangguan perangkat yang tercatat."),

	[UI_TEXT_DEVICE_CARD_READER] = N_("Pembaca kartu"),
	[UI_TEXT_DEVICE_CAMERA] = N_("Kamera QR"),
	[UI_TEXT_DEVICE_RECEIPT_PRINTER] = N_("Printer struk"),
	[UI_TEXT_DEVICE_DOCUMENT_PRINTER] = N_("Printer dokumen"),
	[UI_TEXT_DEVICE_BACKEND] = N_("Server layanan"),

	[UI_TEXT_DEVSTATE_OK] = N_("Baik"),
	[UI_TEXT_DEVSTATE_DEGRADED] = N_("Perlu perhatian"),
	[UI_TEXT_DEVSTATE_FAILED] = N_("Rusak"),
	[UI_TEXT_DEVSTATE_RECOVERING] = N_("Memulihkan"),

	[UI_TEXT_OOS_TITLE] = N_("Anjungan sedang dalam perbaikan"),
	[UI_TEXT_OOS_HINT] =
		N_("Silakan gunakan loket layanan. Mohon maaf atas ketidaknyamanan ini."),
	[UI_TEXT_OOS_DEVICES] = N_("Gangguan: {1}"),

	[UI_TEXT_MONTH_1] = N_("Januari"),
	[UI_TEXT_MONTH_2] = N_("Februari"),
	[UI_TEXT_MONTH_3] = N_("Maret"),
	[UI_TEXT_MONTH_4] = N_("April"),
	[UI_TEXT_MONTH_5] = N_("Mei"),
	[UI_TEXT_MONTH_6] = N_("Juni"),
	[UI_TEXT_MONTH_7] = N_("Juli"),
	[UI_TEXT_MONTH_8] = N_("Agustus"),
	[UI_TEXT_MONTH_9] = N_("September"),
	[UI_TEXT_MONTH_10] = N_("Oktober"),
	[UI_TEXT_MONTH_11] = N_("November"),
	[UI_TEXT_MONTH_12] = N_("Desember"),
};

/* The translations, resolved once per text id. Written by load() under
 * pthread_once and never again: ui_text() hands out static strings to any
 * thread (i18n.h), which a per-context table could not. */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_result;
static struct ui_mo *english_catalog;
static const char *english_texts[_UI_TEXT_MAX];

/* What a msgid shows untranslated: the part after its context. */
static const char *untranslated(const char *msgid)
{
	const char *eot = strchr(msgid, '\004');

	return eot ? eot + 1 : msgid;
}

/* dir/<lang>/LC_MESSAGES/anjungan.mo into *ret_mo; the path tried is
 * appended to tried (for the error message). */
static int load_from(const char *dir, const char *lang, struct ui_mo **ret_mo, char *tried,
		     size_t tried_size)
{
	char path[PATH_MAX];
	size_t len = strlen(tried);
	int n;

	n = snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES/" TEXT_DOMAIN ".mo", dir, lang);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	snprintf(tried + len, tried_size - len, "%s%s", len ? ", " : "", path);
	return ui_mo_load(path, ret_mo);
}

/* The language's catalogue from the first place that has one (see the top
 * of this file). A catalogue that exists but cannot be read stops the
 * search: it is an installation to fix, not one to hide. */
static int find_catalog(const char *lang, struct ui_mo **ret_mo, char *tried, size_t tried_size)
{
	const char *env = getenv("STATION_LOCALEDIR");
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	ssize_t n;
	int r;

	if (env && *env)
		return load_from(env, lang, ret_mo, tried, tried_size);
	r = -ENOENT;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		/* <prefix>/bin/station -> <prefix> */
		for (int up = 0; up < 2 && (slash = strrchr(exe, '/')); up++)
			*slash = '\0';
		if (STATION_LOCALEDIR_INSTALL[0] == '/')
			snprintf(dir, sizeof(dir), "%s", STATION_LOCALEDIR_INSTALL);
		else
			snprintf(dir, sizeof(dir), "%s/%s", exe, STATION_LOCALEDIR_INSTALL);
		r = load_from(dir, lang, ret_mo, tried, tried_size);
	}
	if (r == -ENOENT || r == -ENOTDIR)
		r = load_from(STATION_LOCALEDIR_BUILD, lang, ret_mo, tried, tried_size);
	return r;
}

static void load(void)
{
	struct ui_mo *mo = NULL;
	char tried[3 * PATH_MAX] = "";
	int r;

	r = find_catalog("en", &mo, tried, sizeof(tried));
	if (r < 0) {
		if (r == -ENOENT || r == -ENOTDIR)
			log_error("ui: no English translations (none of %s): English screens show "
				  "Bahasa Indonesia",
				  tried);
		else
			log_error("ui: cannot read the English translations (%s): %s; English "
				  "screens show Bahasa Indonesia",
				  tried, strerror(-r));
		load_result = r;
		return;
	}
	for (int id = 0; id < _UI_TEXT_MAX; id++)
		english_texts[id] = ui_mo_lookup(mo, msgids[id]);
	/* Kept for the life of the process: english_texts points into it. */
	english_catalog = mo;
	load_result = 0;
}

int ui_text_init(void)
{
	pthread_once(&load_once, load);
	return load_result;
}

const char *ui_text(enum ui_text_id id, bool english)
{
	const char *s;

	if ((int)id < 0 || id >= _UI_TEXT_MAX || !msgids[id])
		return "";
	ui_text_init();
	/* english_catalog holds the strings english_texts points to. */
	s = english && english_catalog ? english_texts[id] : NULL;
	return s ? s : untranslated(msgids[id]);
}

enum ui_text_id ui_text_stage(enum session_stage stage)
{
	if ((int)stage < 0 || stage >= _SESSION_STAGE_MAX)
		return UI_TEXT_STAGE_RECEIVED;
	return (enum ui_text_id)(UI_TEXT_STAGE_RECEIVED + stage);
}

enum ui_text_id ui_text_error_title(enum session_error e)
{
	if ((int)e < 0 || e >= _SESSION_ERROR_MAX)
		e = SESSION_ERROR_NONE;
	return (enum ui_text_id)(UI_TEXT_ERROR_NONE_TITLE + 2 * e);
}

enum ui_text_id ui_text_error_action(enum session_error e)
{
	return (enum ui_text_id)(ui_text_error_title(e) + 1);
}

enum ui_text_id ui_text_device(enum session_device d)
{
	if ((int)d < 0 || d >= _SESSION_DEVICE_MAX)
		return UI_TEXT_MAINT_DEVICE;
	return (enum ui_text_id)(UI_TEXT_DEVICE_CARD_READER + d);
}

enum ui_text_id ui_text_device_state(enum session_device_state st)
{
	if ((int)st < 0 || st >= _SESSION_DEVICE_STATE_MAX)
		st = SESSION_DEVICE_FAILED;
	return (enum ui_text_id)(UI_TEXT_DEVSTATE_OK + st);
}

/* Appends at most n bytes of src, never splitting a UTF-8 sequence. */
static size_t append(char *buf, size_t size, size_t len, const char *src, size_t n)
{
	if (len + 1 >= size)
		return len;
	if (n > size - 1 - len) {
		n = size - 1 - len;
		/* Back off continuation bytes so the cut lands on a boundary. */
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf + len, src, n);
	buf[len + n] = '\0';
	return len + n;
}

char *ui_text_format(char *buf, size_t size, const char *tmpl, const char *a1, const char *a2)
{
	size_t len = 0;
	const char *p = tmpl ? tmpl : "";

	if (size == 0)
		return buf;
	buf[0] = '\0';
	while (*p) {
		const char *brace = strchr(p, '{');
		const char *arg;

		if (!brace) {
			len = append(buf, size, len, p, strlen(p));
			break;
		}
		len = append(buf, size, len, p, (size_t)(brace - p));
		if ((brace[1] == '1' || brace[1] == '2') && brace[2] == '}') {
			arg = brace[1] == '1' ? a1 : a2;
			if (arg)
				len = append(buf, size, len, arg, strlen(arg));
			p = brace + 3;
		} else {
			len = append(buf, size, len, brace, 1);
			p = brace + 1;
		}
	}
	return buf;
}

static int digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

char *ui_text_date(char *buf, size_t size, const char *iso, bool english)
{
	int year, month, day;

	if (size == 0)
		return buf;
	if (!iso)
		iso = "";
	/* YYYY-MM-DD, optionally followed by a time ('T' or ' '). */
	if (strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-' ||
	    (iso[10] != '\0' && iso[10] != 'T' && iso[10] != ' ')) {
		ui_text_format(buf, size, "{1}", iso, NULL);
		return buf;
	}
	year = digits(iso, 4);
	month = digits(iso + 5, 2);
	day = digits(iso + 8, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
		ui_text_format(buf, size, "{1}", iso, NULL);
		return buf;
	}
	snprintf(buf, size, "%d %s %04d", day,
		 ui_text((enum ui_text_id)(UI_TEXT_MONTH_1 + month - 1), english), year);
	return buf;
}
