/*
 * log.h - one-line log messages on stderr (or a file), with a timestamp.
 * Never give it personal data: callers log row numbers and keys' hashes, not
 * citizen IDs.
 */
#ifndef NAWAT_LOG_H
#define NAWAT_LOG_H

#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lv);
void log_set_file(FILE *fp);       /* NULL = stderr */
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
