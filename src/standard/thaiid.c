/* thaiid.c - Thai citizen ID check digit (see thaiid.h). */
#include "thaiid.h"

int thaiid_check_digit(const char *d12)
{
	int i, sum = 0;

	for (i = 0; i < 12; i++)
		sum += (d12[i] - '0') * (13 - i);
	return (11 - sum % 11) % 10;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int thaiid_valid(const char *s, size_t n)
{
	return n == 13 && all_digits(s, 13) && thaiid_check_digit(s) == s[12] - '0';
}

int thaiid_is_gcode(const char *s, size_t n)
{
	return n == 13 && s[0] == 'G' && all_digits(s + 1, 12);
}
