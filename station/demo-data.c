/* SPDX-License-Identifier: MIT */
/*
 * The demo data: invented citizens, their e-KTP cards and their
 * applications across the agencies of a Mal Pelayanan Publik.
 *
 * Sources of the facts (see /work/shared/DOMAIN.md):
 *  - NIK layout: province (2) + regency/city (2) + district (2) + birth
 *    date DDMMYY with 40 added to the day for women + serial (4). The
 *    province and regency codes below are the real Kemendagri codes of the
 *    place named in the comment; the people, dates and serials are made up.
 *  - Agencies and services: the MPP table of DOMAIN.md; stages follow the
 *    ones a citizen sees (diterima ... ditolak).
 *  - Card UIDs: 7-byte ISO 14443 A UIDs; 0x04 is NXP's manufacturer byte,
 *    as on most e-KTP chips.
 *
 * Everything is const: several threads read it at once without locks.
 */
#include <sodium.h>
#include <string.h>

#include "demo-data.h"
#include "document-pdf.h"

/* Citizens: key, full name, NIK, card UID. The women are siti, ketut,
 * rina, dewi, nur and maria: their NIK day is the birth day + 40. One
 * list feeds both the citizen table and the simulated reader's cards. */
#define DEMO_CITIZENS(X)                                                                          \
	/* 32 Jawa Barat, 73 Kota Bandung; born 12-03-1985 */                                     \
	X("budi", "Budi Santoso", "3273051203850001", 0x04, 0x5a, 0x21, 0x3c, 0x8e, 0x61, 0x80)   \
	/* 35 Jawa Timur, 78 Kota Surabaya; born 07-08-1990 */                                    \
	X("siti", "Siti Nurhaliza Rahmawati", "3578104708900002", 0x04, 0x11, 0x7d, 0x52, 0x9a,   \
	  0x2b, 0x81)                                                                             \
	/* 51 Bali, 71 Kota Denpasar; born 21-11-1979 */                                          \
	X("made", "I Made Wirawan", "5171022111790003", 0x04, 0x3e, 0x90, 0x14, 0xc2, 0x55, 0x80) \
	/* 51 Bali, 04 Kabupaten Gianyar; born 15-04-1988 */                                      \
	X("ketut", "Ni Ketut Sari Dewi", "5104035504880001", 0x04, 0x72, 0x0b, 0xe6, 0x31, 0x4d,  \
	  0x80)                                                                                   \
	/* 36 Banten, 03 Kabupaten Tangerang; born 03-01-1995 */                                  \
	X("rina", "Rina Marlina", "3603124301950004", 0x04, 0x28, 0xc4, 0x6f, 0x07, 0x9e, 0x81)   \
	/* 12 Sumatera Utara, 71 Kota Medan; born 30-06-1982 */                                   \
	X("agus", "Agus Salim Siregar", "1271063006820002", 0x04, 0x9b, 0x46, 0x1a, 0x73, 0xd0,   \
	  0x80)                                                                                   \
	/* 34 DI Yogyakarta, 04 Kabupaten Sleman; born 25-12-1992 */                              \
	X("dewi", "Dewi Lestari Ayuningtyas", "3404076512920001", 0x04, 0x64, 0xe2, 0x38, 0xb5,   \
	  0x0c, 0x81)                                                                             \
	/* 53 Nusa Tenggara Timur, 71 Kota Kupang; born 09-09-1975 */                             \
	X("yohanes", "Yohanes Pandie", "5371010909750005", 0x04, 0x07, 0x5f, 0xa9, 0x24, 0x6b,    \
	  0x80)                                                                                   \
	/* 11 Aceh, 71 Kota Banda Aceh; born 18-02-2000 */                                        \
	X("nur", "Nur Hidayah", "1171025802000003", 0x04, 0xd3, 0x18, 0x7e, 0x4a, 0x92, 0x81)     \
	/* 73 Sulawesi Selatan, 71 Kota Makassar; born 01-05-1987 */                              \
	X("andi", "Andi Muhammad Arief", "7371110105870006", 0x04, 0x4c, 0xa7, 0x03, 0xdd, 0x36,  \
	  0x80)                                                                                   \
	/* 91 Papua, 71 Kota Jayapura; born 11-10-1998 */                                         \
	X("maria", "Maria Goretti Wenda", "9171035110980002", 0x04, 0x85, 0x3b, 0xc9, 0x50, 0xf7, \
	  0x81)                                                                                   \
	/* 33 Jawa Tengah, 74 Kota Semarang; born 27-07-2001 */                                   \
	X("fajar", "Fajar Nugroho", "3374092707010001", 0x04, 0x19, 0xf0, 0x66, 0x8c, 0x2d, 0x80)

#define CITIZEN(key_, full_, nik_, ...) \
	{.key = (key_),                 \
	 .full_name = (full_),          \
	 .nik = (nik_),                 \
	 .card_uid = {__VA_ARGS__},     \
	 .card_uid_len = 7},
const struct demo_citizen demo_citizens[] = {DEMO_CITIZENS(CITIZEN)};
const size_t demo_n_citizens = sizeof(demo_citizens) / sizeof(demo_citizens[0]);

#define APP(id_, who, agency_, service_, stage_, date, next, doc, title)                       \
	{                                                                                      \
		.id = (id_), .citizen_key = (who), .agency = (agency_), .service = (service_), \
		.stage = (stage_), .updated_at = (date), .next_step = (next),                  \
		.document_id = (doc), .document_title = (title),                               \
	}

/* Applications, grouped by citizen in the order a lookup lists them.
 * budi: most stages, one ready; siti: exactly one ready document;
 * agus: more than a screen's worth (paging); fajar: none at all. */
const struct demo_application demo_applications[] = {
	APP("APP-2026-000101", "budi", "Disdukcapil", "Kartu Keluarga (perubahan data)",
	    SESSION_STAGE_READY, "2026-03-02",
	    "Dokumen siap diambil. Cetak di anjungan ini, atau ambil di loket Disdukcapil "
	    "dengan membawa KTP-el.",
	    "DOC-2026-000101", "Kartu Keluarga"),
	APP("APP-2026-000102", "budi", "Samsat", "Pajak kendaraan tahunan",
	    SESSION_STAGE_AWAITING_PAYMENT, "2026-03-01",
	    "Bayar Rp 2.450.000 sebelum 15 Maret 2026 melalui bank, e-Samsat, atau loket "
	    "Samsat. Simpan bukti pembayaran.",
	    NULL, NULL),
	APP("APP-2026-000103", "budi", "Kantor Imigrasi", "Paspor baru", SESSION_STAGE_NEEDS_FIX,
	    "2026-02-26",
	    "Akta kelahiran yang diunggah tidak terbaca. Bawa akta kelahiran asli dan "
	    "fotokopinya ke loket Imigrasi.",
	    NULL, NULL),
	APP("APP-2026-000104", "budi", "Polres", "SKCK", SESSION_STAGE_PROCESSING, "2026-02-27",
	    "Sidik jari sudah diambil. SKCK diperkirakan selesai dalam 3 hari kerja.", NULL, NULL),
	APP("APP-2026-000105", "budi", "BPJS Kesehatan", "Perubahan data peserta",
	    SESSION_STAGE_RECEIVED, "2026-03-03",
	    "Permohonan diterima. Belum ada yang perlu dibawa; tunggu kabar melalui SMS.", NULL,
	    NULL),
	APP("APP-2026-000106", "budi", "Disdukcapil", "KTP-el (penggantian karena rusak)",
	    SESSION_STAGE_COLLECTED, "2026-01-20", "KTP-el sudah diambil pada 20 Januari 2026.",
	    NULL, NULL),
	APP("APP-2026-000107", "budi", "DPMPTSP", "Persetujuan Bangunan Gedung (PBG)",
	    SESSION_STAGE_REJECTED, "2026-02-10",
	    "Ditolak: gambar teknis belum ditandatangani arsitek bersertifikat. Ajukan ulang "
	    "dengan gambar yang sudah ditandatangani.",
	    NULL, NULL),

	APP("APP-2026-000110", "siti", "Disdukcapil", "Akta kelahiran anak", SESSION_STAGE_READY,
	    "2026-03-04",
	    "Akta kelahiran siap dicetak di anjungan ini. Cukup pindai QR atau tempelkan KTP-el.",
	    "DOC-2026-000110", "Kutipan Akta Kelahiran"),
	APP("APP-2026-000111", "siti", "Disdukcapil", "Kartu Identitas Anak (KIA)",
	    SESSION_STAGE_VERIFYING, "2026-03-04",
	    "Berkas sedang diverifikasi petugas. Hasilnya dikirim melalui SMS dalam 2 hari kerja.",
	    NULL, NULL),

	APP("APP-2026-000120", "made", "Disdukcapil", "Surat keterangan pindah",
	    SESSION_STAGE_READY, "2026-02-28",
	    "Surat pindah siap diambil. Serahkan ke Disdukcapil daerah tujuan paling lambat 30 "
	    "hari setelah terbit.",
	    "DOC-2026-000120", "Surat Keterangan Pindah WNI"),
	APP("APP-2026-000121", "made", "Samsat", "STNK 5-tahunan", SESSION_STAGE_VERIFYING,
	    "2026-03-02",
	    "Cek fisik kendaraan selesai; berkas sedang diverifikasi. Bawa BPKB asli saat "
	    "pengambilan STNK.",
	    NULL, NULL),

	APP("APP-2026-000125", "ketut", "KUA", "Pendaftaran nikah", SESSION_STAGE_NEEDS_FIX,
	    "2026-02-24",
	    "Lengkapi surat pengantar nikah (N1) dari kelurahan dan pas foto 2x3 latar biru 4 "
	    "lembar, lalu serahkan di KUA.",
	    NULL, NULL),
	APP("APP-2026-000126", "ketut", "BPJS Kesehatan", "Pendaftaran peserta",
	    SESSION_STAGE_PROCESSING, "2026-02-25",
	    "Kartu JKN aktif 14 hari setelah pendaftaran. Pantau statusnya di aplikasi "
	    "Mobile JKN.",
	    NULL, NULL),

	APP("APP-2026-000130", "rina", "Disnaker", "Kartu pencari kerja (AK/1)",
	    SESSION_STAGE_READY, "2026-03-03",
	    "Kartu AK/1 siap dicetak. Berlaku 2 tahun; laporkan ke Disnaker setiap 6 bulan bila "
	    "belum bekerja.",
	    "DOC-2026-000130", "Kartu Tanda Bukti Pendaftaran Pencari Kerja (AK/1)"),
	APP("APP-2026-000131", "rina", "BPJS Ketenagakerjaan", "Klaim Jaminan Hari Tua (JHT)",
	    SESSION_STAGE_PROCESSING, "2026-03-02",
	    "Dana JHT ditransfer ke rekening terdaftar paling lambat 5 hari kerja setelah "
	    "verifikasi.",
	    NULL, NULL),

	APP("APP-2026-000140", "agus", "DPMPTSP", "NIB melalui OSS", SESSION_STAGE_READY,
	    "2026-02-20",
	    "NIB sudah terbit dan siap dicetak. Simpan baik-baik: NIB berlaku sebagai izin "
	    "usaha dan angka pengenal impor.",
	    "DOC-2026-000140", "Nomor Induk Berusaha (NIB)"),
	APP("APP-2026-000141", "agus", "DPMPTSP", "Persetujuan Bangunan Gedung (PBG)",
	    SESSION_STAGE_VERIFYING, "2026-02-27",
	    "Tim Profesi Ahli sedang memeriksa gambar teknis. Jadwal konsultasi dikirim melalui "
	    "e-mail.",
	    NULL, NULL),
	APP("APP-2026-000142", "agus", "DPMPTSP", "Izin reklame", SESSION_STAGE_AWAITING_PAYMENT,
	    "2026-02-28",
	    "Bayar retribusi reklame Rp 750.000 melalui bank persepsi sebelum 10 Maret 2026, "
	    "lalu unggah bukti bayar.",
	    NULL, NULL),
	APP("APP-2026-000143", "agus", "KPP Pratama", "NPWP badan", SESSION_STAGE_RECEIVED,
	    "2026-03-04", "Permohonan diterima. Petugas akan menghubungi Anda bila ada kekurangan.",
	    NULL, NULL),
	APP("APP-2026-000144", "agus", "BPJS Ketenagakerjaan", "Pendaftaran pemberi kerja",
	    SESSION_STAGE_PROCESSING, "2026-02-26",
	    "Data 12 karyawan sedang diproses. Kode iuran dikirim ke e-mail perusahaan.", NULL,
	    NULL),
	APP("APP-2026-000145", "agus", "Samsat", "Balik nama kendaraan", SESSION_STAGE_NEEDS_FIX,
	    "2026-02-25",
	    "Bawa kuitansi jual beli bermeterai, KTP-el pemilik lama, dan BPKB asli ke loket "
	    "Samsat.",
	    NULL, NULL),
	APP("APP-2026-000146", "agus", "Samsat", "Pajak kendaraan tahunan", SESSION_STAGE_COLLECTED,
	    "2026-01-15", "Pajak lunas dan STNK sudah disahkan pada 15 Januari 2026.", NULL, NULL),
	APP("APP-2026-000147", "agus", "Kantor Pertanahan (BPN)", "Pengecekan sertifikat",
	    SESSION_STAGE_PROCESSING, "2026-03-01",
	    "Sertifikat sedang dicocokkan dengan buku tanah. Hasil dapat dilihat di aplikasi "
	    "Sentuh Tanahku.",
	    NULL, NULL),
	APP("APP-2026-000148", "agus", "Kantor Pertanahan (BPN)", "Peralihan hak (jual beli)",
	    SESSION_STAGE_AWAITING_PAYMENT, "2026-03-02",
	    "Bayar PNBP Rp 350.000 dan lampirkan bukti lunas BPHTB dari Bapenda.", NULL, NULL),
	APP("APP-2026-000149", "agus", "Polres", "SIM A perpanjangan", SESSION_STAGE_REJECTED,
	    "2026-02-18",
	    "Ditolak: masa berlaku SIM sudah lewat. Ajukan SIM baru dengan ujian teori dan "
	    "praktik di Satpas.",
	    NULL, NULL),
	APP("APP-2026-000150", "agus", "KPP Pratama", "Konfirmasi status wajib pajak",
	    SESSION_STAGE_READY, "2026-03-03",
	    "Surat keterangan siap dicetak. Berlaku untuk pengurusan izin usaha di DPMPTSP.",
	    "DOC-2026-000150", "Surat Keterangan Konfirmasi Status Wajib Pajak"),

	APP("APP-2026-000160", "dewi", "Kantor Imigrasi", "Penggantian paspor",
	    SESSION_STAGE_PROCESSING, "2026-03-02",
	    "Wawancara dan foto selesai. Paspor dapat diambil di loket Imigrasi 4 hari kerja "
	    "setelah pembayaran.",
	    NULL, NULL),
	APP("APP-2026-000161", "dewi", "Disdukcapil", "KTP-el (penggantian karena hilang)",
	    SESSION_STAGE_REJECTED, "2026-02-21",
	    "Ditolak: surat keterangan kehilangan dari kepolisian belum dilampirkan. Ajukan "
	    "ulang dengan surat tersebut.",
	    NULL, NULL),

	APP("APP-2026-000165", "yohanes", "Disdukcapil", "Akta kematian", SESSION_STAGE_READY,
	    "2026-03-01",
	    "Akta kematian siap dicetak. Bawa juga ke Disdukcapil untuk pemutakhiran Kartu "
	    "Keluarga.",
	    "DOC-2026-000165", "Kutipan Akta Kematian"),

	APP("APP-2026-000170", "nur", "KPP Pratama", "NPWP orang pribadi", SESSION_STAGE_READY,
	    "2026-02-27",
	    "Surat Keterangan Terdaftar siap dicetak. NPWP Anda kini sama dengan NIK.",
	    "DOC-2026-000170", "Surat Keterangan Terdaftar"),
	APP("APP-2026-000171", "nur", "Disnaker", "Kartu pencari kerja (AK/1)",
	    SESSION_STAGE_RECEIVED, "2026-03-04",
	    "Permohonan diterima. Siapkan ijazah terakhir dan pas foto 3x4 untuk verifikasi.", NULL,
	    NULL),

	APP("APP-2026-000175", "andi", "Samsat", "Pajak kendaraan tahunan",
	    SESSION_STAGE_AWAITING_PAYMENT, "2026-03-03",
	    "Bayar Rp 385.000 (PKB dan SWDKLLJ) melalui e-Samsat atau loket Samsat sebelum 20 "
	    "Maret 2026.",
	    NULL, NULL),
	APP("APP-2026-000176", "andi", "Polres", "SIM C perpanjangan", SESSION_STAGE_COLLECTED,
	    "2026-02-05", "SIM C baru sudah diambil pada 5 Februari 2026.", NULL, NULL),

	APP("APP-2026-000180", "maria", "BPJS Kesehatan", "Pendaftaran peserta",
	    SESSION_STAGE_RECEIVED, "2026-03-04",
	    "Permohonan diterima. Nomor virtual account untuk iuran pertama dikirim melalui SMS.",
	    NULL, NULL),
	APP("APP-2026-000181", "maria", "Disdukcapil", "Kartu Keluarga (tambah anggota)",
	    SESSION_STAGE_NEEDS_FIX, "2026-02-26",
	    "Lampirkan akta kelahiran anak dan akta perkawinan asli, lalu serahkan di loket "
	    "Disdukcapil.",
	    NULL, NULL),
};
const size_t demo_n_applications = sizeof(demo_applications) / sizeof(demo_applications[0]);

#define CARD(key_, full_, nik_, ...) \
	{.name = (key_),             \
	 .kind = CARD_SIM_EKTP,      \
	 .uid = {__VA_ARGS__},       \
	 .uid_len = 7,               \
	 .nik = (nik_),              \
	 .full_name = (full_)},

/* The simulated reader's cards: every citizen's e-KTP, and two that are
 * not. */
const struct card_sim_card demo_cards[] = {
	DEMO_CITIZENS(CARD)
	/* A transit card: answers the UID command, is no e-KTP. */
	{.name = "unknown",
	 .kind = CARD_SIM_UNKNOWN,
	 .uid = {0x08, 0x6e, 0x3f, 0xa1},
	 .uid_len = 4},
	/* A cracked e-KTP: the reader sees it, reads fail. */
	{.name = "damaged",
	 .kind = CARD_SIM_UNREADABLE,
	 .uid = {0x04, 0xee, 0x0d, 0x42, 0x19, 0xa6, 0x80},
	 .uid_len = 7},
};
const size_t demo_n_cards = sizeof(demo_cards) / sizeof(demo_cards[0]);

const struct demo_citizen *demo_citizen_by_key(const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < demo_n_citizens; i++)
		if (strcmp(demo_citizens[i].key, key) == 0)
			return &demo_citizens[i];
	return NULL;
}

const struct demo_citizen *demo_citizen_by_uid(const uint8_t *uid, size_t len)
{
	if (!uid || len == 0)
		return NULL;
	for (size_t i = 0; i < demo_n_citizens; i++)
		if (demo_citizens[i].card_uid_len == len &&
		    memcmp(demo_citizens[i].card_uid, uid, len) == 0)
			return &demo_citizens[i];
	return NULL;
}

const struct demo_application *demo_application_by_id(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < demo_n_applications; i++)
		if (strcmp(demo_applications[i].id, id) == 0)
			return &demo_applications[i];
	return NULL;
}

const struct demo_application *demo_application_by_document(const char *document_id)
{
	if (!document_id || !*document_id)
		return NULL;
	for (size_t i = 0; i < demo_n_applications; i++)
		if (demo_applications[i].document_id &&
		    strcmp(demo_applications[i].document_id, document_id) == 0)
			return &demo_applications[i];
	return NULL;
}

/* The seed is a hash of a published phrase so that the reference backend,
 * the demo and the tests derive the same key pair without a key file, and
 * nobody can mistake it for a secret. */
void demo_qr_keypair(uint8_t ret_public[32], uint8_t ret_secret[64])
{
	static const char phrase[] = "anjungan demo qr key 2026";
	uint8_t seed[crypto_sign_SEEDBYTES];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

	/* sodium_init() is idempotent and thread-safe; < 0 only when no
	 * random source exists, which the seeded key pair does not need. */
	if (sodium_init() < 0) {
		/* Nothing to do: the derivation below uses no randomness. */
	}
	crypto_generichash(seed, sizeof(seed), (const unsigned char *)phrase, sizeof(phrase) - 1,
			   NULL, 0);
	crypto_sign_seed_keypair(pk, sk, seed);
	memcpy(ret_public, pk, sizeof(pk));
	memcpy(ret_secret, sk, sizeof(sk));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(seed, sizeof(seed));
}

int demo_document_render(const struct demo_application *app, uint8_t **ret_pdf, size_t *ret_len)
{
	const struct demo_citizen *c = demo_citizen_by_key(app->citizen_key);
	const struct document_pdf_info info = {
		.title = app->document_title,
		.agency = app->agency,
		.service = app->service,
		.holder_name = c ? c->full_name : "",
		.nik = c ? c->nik : "",
		.application_id = app->id,
		.document_id = app->document_id,
		.issued_on = app->updated_at,
	};

	return document_pdf_render(&info, ret_pdf, ret_len);
}
