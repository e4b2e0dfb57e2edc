/* SPDX-License-Identifier: MIT */
/*
 * A reader of GNU gettext's compiled catalogues (.mo, as msgfmt writes
 * them), so the screens can hold several languages at once and switch per
 * session: i18n.c says why libintl does not fit. A catalogue is read whole,
 * checked (every offset inside the file, every string NUL-terminated and
 * valid UTF-8, the header's charset UTF-8) and then only looked up.
 *
 * Keys are msgids; a msgid with a context is "context\004msgid", as
 * msgfmt stores it. The header entry (msgid "") is not a translation.
 */
#pragma once

#include <stddef.h>

struct ui_mo;

/* Parses size bytes of a .mo file into *ret_mo (a copy: data may be freed
 * afterwards). Returns 0, -EBADMSG when the bytes are not a well-formed
 * UTF-8 catalogue, -ENOMEM. *ret_mo is written only on success; free it
 * with ui_mo_free(). Any thread; does not block. */
int ui_mo_parse(const void *data, size_t size, struct ui_mo **ret_mo);

/* Reads the file at path and parses it as ui_mo_parse() does. Returns 0,
 * the negative errno of open/read (-ENOENT when there is no such file),
 * -EFBIG above 16 MiB, -EBADMSG, -ENOMEM. Blocks on the file system. */
int ui_mo_load(const char *path, struct ui_mo **ret_mo);

/* Accepts NULL; returns NULL. */
struct ui_mo *ui_mo_free(struct ui_mo *mo);

/* The translation of key, or NULL when the catalogue has none (or an
 * empty one, or key is NULL or ""). The string lives as long as mo; for a
 * plural entry it is the singular. Any thread once mo is built. */
const char *ui_mo_lookup(const struct ui_mo *mo, const char *key);

/* The number of translations (the header not counted), and the i-th of
 * them in msgid order. ui_mo_entry() returns 0, or -ERANGE when i is past
 * the end (*ret_* then untouched). */
size_t ui_mo_count(const struct ui_mo *mo);
int ui_mo_entry(const struct ui_mo *mo, size_t i, const char **ret_msgid, const char **ret_msgstr);
