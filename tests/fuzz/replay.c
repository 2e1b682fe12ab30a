/*
 * replay.c - runs a fuzz target over corpus files without libFuzzer.
 *
 *   replay-NAME [-f] FILE_OR_DIR...
 *
 * Runs every file through the target in this process, then prints one line
 * "N passed, N failed"; a crash, a sanitizer report (leaks: at the end), a
 * broken invariant or more than FUZZ_REPLAY_TIMEOUT seconds (default 30) on
 * one file ends the process with the name of the file it was on.  With -f
 * each file runs in a child process of its own, so that a failure fails
 * that file alone (slower: replay.sh uses it to name every failing file).
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

/* Targets without an initializer get this one. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int passed, failed;

static int run_one(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *data;
	long n;

	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	/* exactly n bytes, so that the sanitizers see a read past the input */
	data = malloc(n ? (size_t)n : 1);
	if (!data || fread(data, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	return 0;
}

static int forking;
static const char *current;

static void on_alarm(int sig)
{
	static const char msg[] = "took too long (hang?): ";

	(void)sig;
	if (write(2, msg, sizeof msg - 1) < 0 || write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
		_exit(98);
	_exit(98);
}

static void replay(const char *path, unsigned timeout)
{
	pid_t pid;
	int st;

	fz_current = path;
	if (!forking) {
		current = path;
		alarm(timeout);
		if (run_one(path))
			failed++;
		else
			passed++;
		alarm(0);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(timeout);
		exit(run_one(path));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		fprintf(stderr, "FAIL %s: cannot run\n", path);
		failed++;
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		passed++;
		return;
	}
	failed++;
	if (WIFSIGNALED(st))
		fprintf(stderr, "FAIL %s: %s\n", path,
			WTERMSIG(st) == SIGALRM ? "took too long (hang?)" : strsignal(WTERMSIG(st)));
	else
		fprintf(stderr, "FAIL %s: exit status %d\n", path, WEXITSTATUS(st));
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	const char *t = getenv("FUZZ_REPLAY_TIMEOUT");
	long secs = t ? strtol(t, NULL, 10) : 0;
	unsigned timeout = secs > 0 ? (unsigned)secs : 30;
	struct stat sb;
	int i, k, n;

	if (argc > 1 && !strcmp(argv[1], "-f")) {
		forking = 1;
		argv++;
		argc--;
	}
	signal(SIGALRM, on_alarm);
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct dirent **ents;

		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "FAIL %s: no such file\n", argv[i]);
			failed++;
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			replay(argv[i], timeout);
			continue;
		}
		n = scandir(argv[i], &ents, NULL, by_name);
		for (k = 0; k < n; k++) {
			char p[4096];

			if (ents[k]->d_name[0] != '.') {
				snprintf(p, sizeof p, "%s/%s", argv[i], ents[k]->d_name);
				if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
					replay(p, timeout);
			}
			free(ents[k]);
		}
		if (n >= 0)
			free(ents);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
