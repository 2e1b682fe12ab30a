/* log.c - timestamped log lines (see log.h). */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static FILE *out;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level lv)
{
	min_level = lv;
}

void log_set_file(FILE *fp)
{
	out = fp;
}

void log_msg(enum log_level lv, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	char ts[32];
	struct tm tm;
	time_t now;
	va_list ap;
	FILE *fp;

	if (lv < min_level)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&lock);
	fp = out ? out : stderr;
	fprintf(fp, "%s %s ", ts, names[lv]);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
	pthread_mutex_unlock(&lock);
}
