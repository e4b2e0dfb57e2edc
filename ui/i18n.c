/* SPDX-License-Identifier: MIT */
/*
 * The string table. Bahasa Indonesia first: it is what a citizen sees by
 * default, written plainly (what happened, then what to do). Stage names
 * follow the wording MPP counters use (DOMAIN.md).
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"

struct entry {
	const char *id, *en;
};

#define T(key, i, e) [UI_TEXT_##key] = {.id = i, .en = e}

static const struct entry table[_UI_TEXT_MAX] = {
	T(HEADER_NAME, "Anjungan Layanan Mandiri", "Self-Service Station"),
	T(HEADER_PLACE, "Mal Pelayanan Publik", "Public Service Mall"),
	T(FOOTER_HELP, "Butuh bantuan? Hubungi petugas di meja informasi.",
	  "Need help? Please ask the staff at the information desk."),
	T(FOOTER_STATION, "Anjungan {1}", "Station {1}"),
	T(DEMO_HINT, "DEMO — tombol: 1-9 tempel kartu, Q kode QR, R angkat kartu, Esc keluar",
	  "DEMO — keys: 1-9 tap a card, Q QR code, R remove card, Esc quit"),
	/* The switch names the language it switches to, in that language. */
	T(LANGUAGE_SWITCH, "English", "Bahasa Indonesia"),
	T(BACK, "Kembali", "Back"),
	T(CANCEL, "Batal", "Cancel"),
	T(FINISH, "Selesai", "Finish"),
	T(OK, "OK", "OK"),

	T(WELCOME_TITLE, "Selamat datang", "Welcome"),
	T(WELCOME_SUBTITLE, "Cek status permohonan dan ambil dokumen Anda di sini.",
	  "Check your applications and collect your documents here."),
	T(WELCOME_CARD, "Tempelkan e-KTP pada pembaca kartu",
	  "Place your e-KTP on the card reader"),
	T(WELCOME_CARD_HINT, "Untuk melihat status semua permohonan Anda",
	  "To see the status of all your applications"),
	T(WELCOME_QR, "Pindai kode QR", "Scan a QR code"),
	T(WELCOME_QR_HINT, "Dari bukti permohonan, SMS, atau e-mail — untuk mengambil dokumen",
	  "From your application receipt, SMS or e-mail — to collect a document"),
	T(WELCOME_OR, "atau", "or"),

	T(READING_TITLE, "Membaca kartu…", "Reading your card…"),
	T(READING_HINT, "Tahan kartu tetap di tempat", "Keep the card in place"),

	T(SCAN_TITLE, "Arahkan kode QR ke kamera", "Hold the QR code up to the camera"),
	T(SCAN_HINT,
	  "Kode QR ada pada bukti permohonan, SMS, atau e-mail Anda. Pegang kira-kira sejengkal "
	  "dari kamera.",
	  "The QR code is on your application receipt, SMS or e-mail. Hold it about a hand's "
	  "width from the camera."),
	T(SCAN_FRAME, "Letakkan kode QR di dalam bingkai", "Keep the code inside the frame"),

	T(LOOKUP_TITLE, "Mencari data permohonan Anda…", "Looking up your applications…"),
	T(LOOKUP_HINT, "Mohon tunggu sebentar", "Please wait a moment"),

	T(STATUS_HELLO, "Halo, {1}", "Hello, {1}"),
	T(STATUS_HELLO_ANONYMOUS, "Status permohonan Anda", "Your applications"),
	T(STATUS_NIK, "NIK {1}", "NIK {1}"),
	T(STATUS_COUNT_ONE, "1 permohonan", "1 application"),
	T(STATUS_COUNT, "{1} permohonan", "{1} applications"),
	T(STATUS_NONE, "Tidak ada permohonan untuk ditampilkan.",
	  "There are no applications to show."),
	T(STATUS_UPDATED, "Diperbarui {1}", "Updated {1}"),
	T(STATUS_COLLECT, "Ambil dokumen", "Collect document"),
	T(STATUS_PAGE, "Halaman {1} dari {2}", "Page {1} of {2}"),
	T(STATUS_PREV, "Sebelumnya", "Previous"),
	T(STATUS_NEXT, "Berikutnya", "Next"),
	T(STATUS_PRINT, "Cetak bukti status", "Print status receipt"),
	T(STATUS_PRINT_UNAVAILABLE, "Printer struk sedang tidak tersedia",
	  "The receipt printer is not available"),

	T(STAGE_RECEIVED, "Diterima", "Received"),
	T(STAGE_VERIFYING, "Verifikasi berkas", "Checking documents"),
	T(STAGE_NEEDS_FIX, "Perlu perbaikan", "Needs correction"),
	T(STAGE_PROCESSING, "Diproses", "In process"),
	T(STAGE_AWAITING_PAYMENT, "Menunggu pembayaran", "Awaiting payment"),
	T(STAGE_READY, "Siap diambil", "Ready to collect"),
	T(STAGE_COLLECTED, "Sudah diambil", "Collected"),
	T(STAGE_REJECTED, "Ditolak", "Rejected"),

	T(DOC_TITLE, "Dokumen Anda siap dicetak", "Your document is ready to print"),
	T(DOC_HINT, "Dokumen dicetak pada kertas A4. Ambil dari printer setelah selesai.",
	  "The document is printed on A4 paper. Take it from the printer when it is done."),
	T(DOC_CONFIRM, "Cetak dokumen", "Print document"),
	T(DOC_UNAVAILABLE, "Printer dokumen sedang tidak tersedia. Silakan tanyakan ke loket.",
	  "The document printer is not available. Please ask at a service counter."),

	T(PRINTING_TITLE, "Sedang mencetak…", "Printing…"),
	T(PRINTING_RECEIPT, "Bukti status Anda sedang dicetak", "Your status receipt is printing"),
	T(PRINTING_DOCUMENT, "Dokumen Anda sedang dicetak", "Your document is printing"),
	T(PRINTING_HINT, "Mohon tunggu dan jangan tinggalkan anjungan",
	  "Please wait and stay at the station"),

	T(DONE_RECEIPT, "Silakan ambil struk Anda", "Please take your receipt"),
	T(DONE_DOCUMENT, "Silakan ambil dokumen Anda", "Please take your document"),
	T(DONE_THANKS, "Terima kasih telah menggunakan layanan mandiri MPP.",
	  "Thank you for using the MPP self-service station."),
	T(DONE_BACK, "Kembali ke daftar permohonan", "Back to my applications"),

	T(ERROR_NONE_TITLE, "Terjadi kendala", "Something went wrong"),
	T(ERROR_NONE_ACTION, "Silakan coba lagi atau tanyakan ke petugas.",
	  "Please try again or ask a member of staff."),
	T(ERROR_CARD_UNREADABLE_TITLE, "Kartu tidak terbaca", "The card could not be read"),
	T(ERROR_CARD_UNREADABLE_ACTION, "Tempelkan kembali kartu dan tahan hingga selesai.",
	  "Place the card again and hold it there until reading is finished."),
	T(ERROR_CARD_UNKNOWN_TITLE, "Kartu tidak dikenali", "Card not recognised"),
	T(ERROR_CARD_UNKNOWN_ACTION, "Gunakan e-KTP (KTP elektronik) Anda.",
	  "Please use your e-KTP (electronic identity card)."),
	T(ERROR_CARD_DAMAGED_TITLE, "Chip kartu tampaknya rusak",
	  "The card's chip seems to be damaged"),
	T(ERROR_CARD_DAMAGED_ACTION,
	  "Kartu sudah beberapa kali gagal dibaca. Silakan bawa e-KTP Anda ke loket Dukcapil "
	  "atau meja layanan untuk diperiksa.",
	  "The card failed to read several times. Please take your e-KTP to the Dukcapil "
	  "counter or the service desk to have it checked."),
	T(ERROR_QR_INVALID_TITLE, "Kode QR tidak sah", "The QR code is not valid"),
	T(ERROR_QR_INVALID_ACTION,
	  "Pastikan kode QR utuh dan tidak buram, lalu coba lagi. Jika tetap gagal, tanyakan ke "
	  "loket.",
	  "Make sure the whole code is visible and sharp, then try again. If it still fails, "
	  "ask at a service counter."),
	T(ERROR_QR_EXPIRED_TITLE, "Kode QR sudah kedaluwarsa", "The QR code has expired"),
	T(ERROR_QR_EXPIRED_ACTION, "Minta kode baru lewat SMS/e-mail atau di loket.",
	  "Ask for a new code by SMS/e-mail or at a service counter."),
	T(ERROR_QR_NOT_MPP_TITLE, "Ini bukan kode QR MPP", "This is not an MPP QR code"),
	T(ERROR_QR_NOT_MPP_ACTION,
	  "Gunakan kode QR pada bukti permohonan, SMS, atau e-mail dari Mal Pelayanan Publik.",
	  "Use the QR code on the application receipt, SMS or e-mail from the Public Service "
	  "Mall."),
	T(ERROR_NOT_FOUND_TITLE, "Data permohonan tidak ditemukan", "No applications found"),
	T(ERROR_NOT_FOUND_ACTION,
	  "Belum ada permohonan yang tercatat untuk identitas ini. Silakan tanyakan ke loket "
	  "layanan.",
	  "No application is recorded for this identity. Please ask at a service counter."),
	T(ERROR_BACKEND_UNREACHABLE_TITLE, "Layanan sedang tidak tersedia",
	  "The service is not available right now"),
	T(ERROR_BACKEND_UNREACHABLE_ACTION,
	  "Silakan coba lagi beberapa menit lagi, atau tanyakan ke meja informasi.",
	  "Please try again in a few minutes, or ask at the information desk."),
	T(ERROR_PRINTER_PAPER_OUT_TITLE, "Kertas printer habis", "The printer is out of paper"),
	T(ERROR_PRINTER_PAPER_OUT_ACTION,
	  "Petugas sudah diberi tahu. Silakan coba lagi nanti atau tanyakan ke loket.",
	  "Staff have been told. Please try again later or ask at a service counter."),
	T(ERROR_PRINTER_COVER_OPEN_TITLE, "Penutup printer terbuka", "The printer cover is open"),
	T(ERROR_PRINTER_COVER_OPEN_ACTION,
	  "Petugas sudah diberi tahu. Silakan coba lagi nanti atau tanyakan ke loket.",
	  "Staff have been told. Please try again later or ask at a service counter."),
	T(ERROR_PRINTER_OFFLINE_TITLE, "Printer tidak tersambung", "The printer is not connected"),
	T(ERROR_PRINTER_OFFLINE_ACTION,
	  "Petugas sudah diberi tahu. Silakan coba lagi nanti atau tanyakan ke loket.",
	  "Staff have been told. Please try again later or ask at a service counter."),
	T(ERROR_PRINT_FAILED_TITLE, "Pencetakan gagal", "Printing failed"),
	T(ERROR_PRINT_FAILED_ACTION,
	  "Dokumen belum tercetak dan BELUM dicatat sebagai diambil. Silakan coba lagi atau "
	  "tanyakan ke loket.",
	  "The document was not printed and has NOT been recorded as collected. Please try "
	  "again or ask at a service counter."),

	T(COUNTDOWN_TITLE, "Sesi akan berakhir dalam {1} detik",
	  "Your session ends in {1} seconds"),
	T(COUNTDOWN_HINT, "Sentuh layar untuk lanjut", "Touch the screen to continue"),
	T(COUNTDOWN_PRIVACY, "Data Anda akan dihapus dari layar",
	  "Your data will then be cleared from the screen"),

	T(PIN_TITLE, "Mode petugas", "Technician mode"),
	T(PIN_PROMPT, "Masukkan PIN petugas", "Enter the technician PIN"),
	T(PIN_WRONG, "PIN salah. Coba lagi.", "Wrong PIN. Please try again."),
	T(PIN_LOCKED, "Terlalu banyak percobaan. Coba lagi nanti.",
	  "Too many attempts. Try again later."),
	T(PIN_CHECKING, "Memeriksa PIN…", "Checking the PIN…"),
	T(PIN_CLEAR, "Hapus", "Clear"),
	T(PIN_ENTER, "Masuk", "Enter"),

	T(MAINT_TITLE, "Status perangkat", "Device status"),
	T(MAINT_HINT, "Uji tiap perangkat lewat SSH: station diag test <perangkat>",
	  "Test each device over SSH: station diag test <device>"),
	T(MAINT_DEVICE, "Perangkat", "Device"),
	T(MAINT_STATE, "Keadaan", "State"),
	T(MAINT_EXIT, "Keluar", "Exit"),

	T(DEVICE_CARD_READER, "Pembaca kartu", "Card reader"),
	T(DEVICE_CAMERA, "Kamera QR", "QR camera"),
	T(DEVICE_RECEIPT_PRINTER, "Printer struk", "Receipt printer"),
	T(DEVICE_DOCUMENT_PRINTER, "Printer dokumen", "Document printer"),
	T(DEVICE_BACKEND, "Server layanan", "Service backend"),

	T(DEVSTATE_OK, "Baik", "OK"),
	T(DEVSTATE_DEGRADED, "Perlu perhatian", "Needs attention"),
	T(DEVSTATE_FAILED, "Rusak", "Failed"),
	T(DEVSTATE_RECOVERING, "Memulihkan", "Recovering"),

	T(OOS_TITLE, "Anjungan sedang dalam perbaikan", "This station is being repaired"),
	T(OOS_HINT, "Silakan gunakan loket layanan. Mohon maaf atas ketidaknyamanan ini.",
	  "Please use the service counters. We apologise for the inconvenience."),
	T(OOS_DEVICES, "Gangguan: {1}", "Out of order: {1}"),

	T(MONTH_1, "Januari", "January"),
	T(MONTH_2, "Februari", "February"),
	T(MONTH_3, "Maret", "March"),
	T(MONTH_4, "April", "April"),
	T(MONTH_5, "Mei", "May"),
	T(MONTH_6, "Juni", "June"),
	T(MONTH_7, "Juli", "July"),
	T(MONTH_8, "Agustus", "August"),
	T(MONTH_9, "September", "September"),
	T(MONTH_10, "Oktober", "October"),
	T(MONTH_11, "November", "November"),
	T(MONTH_12, "Desember", "December"),
};

const char *ui_text(enum ui_text_id id, bool english)
{
	const char *s;

	if ((int)id < 0 || id >= _UI_TEXT_MAX)
		return "";
	s = english ? table[id].en : table[id].id;
	return s ? s : "";
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
