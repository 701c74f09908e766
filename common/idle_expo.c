/* SPDX-License-Identifier: MIT */
/* The Prometheus text format (0.0.4) and OpenMetrics 1.0.0 of a snapshot: pure rendering, no IO. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_expo.h"
#include "idle_label.h"

void
idle_expo_label_value(struct idle_buf *out, const char *raw, size_t cap)
{
	struct idle_label_iter it;
	const char *chunk;
	size_t len;

	idle_label_iter_init(&it, raw, cap);
	while (idle_label_iter_next(&it, &chunk, &len)) {
		if (len == 1 && chunk[0] == '\\')
			idle_buf_puts(out, "\\\\");
		else if (len == 1 && chunk[0] == '"')
			idle_buf_puts(out, "\\\"");
		else if (len == 1 && chunk[0] == '\n')
			idle_buf_puts(out, "\\n");
		else
			idle_buf_append(out, chunk, len);
	}
}

/*
 * Appends a whole number below 1e15 in decimal, as %.15g would: counts and counters are most of
 * a page's samples, and snprintf with a strtod check costs a hundred times more.
 */
static void
whole_number(struct idle_buf *out, long long n)
{
	char text[24], *p = text + sizeof(text);
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		*--p = '-';
	idle_buf_append(out, p, (size_t)(text + sizeof(text) - p));
}

/* Exact powers of ten (every one to 1e22 is a double). */
static const double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
				       1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
				       1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20};

/* The longest text of the decimal writers below: "0.", 20 digits, a NUL. */
#define DECIMAL_MAX 24

/* Writes the decimal digits of n, with k of them after a point, into text (DECIMAL_MAX
 * bytes); drops the fraction's trailing zeros (and the point with them), as %g does. */
static void
put_decimal(unsigned long long n, size_t k, char *text)
{
	char digits[24], *p = digits + sizeof(digits);
	size_t len;

	for (; k > 0 && n % 10 == 0; k--)
		n /= 10;
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	len = (size_t)(digits + sizeof(digits) - p);
	if (k == 0) {
		memcpy(text, p, len);
		text[len] = '\0';
	} else if (len <= k) { /* 0.000ddd */
		memcpy(text, "0.", 2);
		memset(text + 2, '0', k - len);
		memcpy(text + 2 + k - len, p, len);
		text[2 + k] = '\0';
	} else {
		memcpy(text, p, len - k);
		text[len - k] = '.';
		memcpy(text + len - k + 1, p + len - k, k);
		text[len + 1] = '\0';
	}
}

/*
 * Writes a (1e-4 <= a < 1e15) as n / 10^k with the least k that reads back as a and n below
 * 1e15, which is the text %.15g gives when that reads back: at most one decimal of 15
 * significant digits rounds to a given double, and %.15g writes the nearest one.  The check
 * is exact: n and 10^k are doubles, and a division rounds as strtod does.  Returns false when
 * a needs 16 or 17 digits.
 */
static bool
short_decimal(double a, char *text)
{
	unsigned long long n = 0;
	double scaled;
	size_t k;

	for (k = 0; k < sizeof(powers_of_ten) / sizeof(powers_of_ten[0]); k++) {
		scaled = a * powers_of_ten[k];
		if (scaled >= 1e15)
			return false;
		n = (unsigned long long)(scaled + 0.5);
		if (n < 1000000000000000ULL && (double)n / powers_of_ten[k] == a)
			break;
	}
	if (k == sizeof(powers_of_ten) / sizeof(powers_of_ten[0]))
		return false;
	put_decimal(n, k, text);
	return true;
}

#ifdef __SIZEOF_INT128__
/*
 * Writes a (1e-4 <= a < 1e15, not a whole number) as %.17g does: its exact binary value
 * rounded to 17 significant digits, half to even, in 128-bit integers (a is m * 2^-s, and
 * m * 10^k stays below 2^120).  Returns false where that does not hold.
 */
static bool
long_decimal(double a, char *text)
{
	const unsigned long long low = 10000000000000000ULL, high = 100000000000000000ULL;
	unsigned __int128 scaled, q, r, half, ten_k = 1;
	unsigned long long m;
	int exp, s, k, i;
	uint64_t bits;

	memcpy(&bits, &a, sizeof(bits));
	exp = (int)((bits >> 52) & 0x7ff);
	m = bits & 0xfffffffffffffULL;
	if (exp == 0 || exp == 0x7ff)
		return false;
	m |= 1ULL << 52;
	s = 1075 - exp; /* a = m / 2^s */
	if (s <= 0 || s > 100)
		return false;
	/* 10^16 <= a * 10^k < 10^17: from the double's estimate, then exactly */
	for (k = 0; k < 20 && a * powers_of_ten[k] < 1e16; k++)
		;
	for (;;) {
		if (k < 0 || k > 20)
			return false;
		for (ten_k = 1, i = 0; i < k; i++)
			ten_k *= 10;
		scaled = (unsigned __int128)m * ten_k;
		q = scaled >> s;
		if (q >= high)
			k--;
		else if (q < low)
			k++;
		else
			break;
	}
	r = scaled & (((unsigned __int128)1 << s) - 1);
	half = (unsigned __int128)1 << (s - 1);
	if (r > half || (r == half && (q & 1) != 0))
		q++;
	if (q == high) { /* 99...9.5 rounded up: one digit fewer after the point */
		q = low;
		k--;
	}
	put_decimal((unsigned long long)q, (size_t)k, text);
	return true;
}
#else
static bool
long_decimal(double a, char *text)
{
	(void)a;
	(void)text;
	return false;
}
#endif

void
idle_expo_number(struct idle_buf *out, double value)
{
	double a = value < 0 ? -value : value;
	char text[32]; /* a sign and DECIMAL_MAX, or printf's %.17g */

	if (value > -1e15 && value < 1e15 && value == (double)(long long)value &&
	    !(value == 0 && signbit(value))) {
		whole_number(out, (long long)value);
		return;
	}

	if (isnan(value)) {
		idle_buf_puts(out, "NaN");
		return;
	}
	if (isinf(value)) {
		idle_buf_puts(out, value > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* Ages and timestamps: the text below without printf's and strtod's cost. */
	if (a >= 1e-4 && a < 1e15 &&
	    (short_decimal(a, text + 1) || long_decimal(a, text + 1))) {
		text[0] = '-';
		idle_buf_puts(out, value < 0 ? text : text + 1);
		return;
	}
	/* The shortest of %.15g and %.17g that reads back as the same double. */
	snprintf(text, sizeof(text), "%.15g", value);
	if (strtod(text, NULL) != value)
		snprintf(text, sizeof(text), "%.17g", value);
	idle_buf_puts(out, text);
}

/* The walk's state: the family whose HELP and TYPE lines were written last. */
struct render_ctx {
	struct idle_buf *out;
	enum idle_expo_format format;
	const struct idle_metric *family;
	size_t index;   /* samples met so far */
	size_t start;   /* the first sample written: earlier ones were an earlier part's */
	size_t min_len; /* stop once out holds this much */
};

/*
 * Appends the HELP and TYPE lines of m.  A counter's samples are name_total: OpenMetrics names
 * the family without the suffix, the 0.0.4 text format with it.
 */
static void
family(struct idle_buf *out, enum idle_expo_format format, const struct idle_metric *m)
{
	const char *type = m->type == IDLE_METRIC_COUNTER ? "counter" : "gauge";
	int len = (int)strlen(m->name);

	if (m->type == IDLE_METRIC_COUNTER && format == IDLE_EXPO_OPENMETRICS && len > 6 &&
	    strcmp(m->name + len - 6, "_total") == 0)
		len -= 6;
	/* Pieces, not printf: a page has a pair of these per family, at every render. */
	idle_buf_puts(out, "# HELP ");
	idle_buf_append(out, m->name, (size_t)len);
	idle_buf_puts(out, " ");
	idle_buf_puts(out, m->help);
	idle_buf_puts(out, "\n# TYPE ");
	idle_buf_append(out, m->name, (size_t)len);
	idle_buf_puts(out, " ");
	idle_buf_puts(out, type);
	idle_buf_puts(out, "\n");
}

/* Appends one sample line, after its family's HELP and TYPE when it is the family's first. */
static int
render_sample(void *arg, const struct idle_metric_sample *s)
{
	struct render_ctx *ctx = arg;
	size_t i;

	if (ctx->index++ < ctx->start) {
		ctx->family = s->metric; /* its HELP and TYPE went with that part */
		return 0;
	}
	if (ctx->family != s->metric) {
		family(ctx->out, ctx->format, s->metric);
		ctx->family = s->metric;
	}
	idle_buf_puts(ctx->out, s->metric->name);
	for (i = 0; i < s->n_labels; i++) {
		idle_buf_puts(ctx->out, i == 0 ? "{" : ",");
		idle_buf_puts(ctx->out, s->labels[i].name);
		idle_buf_puts(ctx->out, "=\"");
		idle_expo_label_value(ctx->out, s->labels[i].value, IDLE_LABEL_MAX);
		idle_buf_puts(ctx->out, "\"");
	}
	idle_buf_puts(ctx->out, s->n_labels > 0 ? "} " : " ");
	idle_expo_number(ctx->out, s->value);
	idle_buf_puts(ctx->out, "\n");
	return ctx->out->len >= ctx->min_len || ctx->out->err != 0;
}

bool
idle_expo_render_part(struct idle_buf *out, enum idle_expo_format format,
		      const struct idle_snapshot *snap, const struct idle_process_stats *proc,
		      const char *version, size_t *next, size_t min_len)
{
	struct idle_metrics_input in = {snap, proc, version};
	struct render_ctx ctx = {out, format, NULL, 0, *next, min_len};
	int stopped = idle_metrics_walk(&in, render_sample, &ctx);

	*next = ctx.index;
	if (stopped)
		return false;
	if (format == IDLE_EXPO_OPENMETRICS)
		idle_buf_puts(out, "# EOF\n");
	return true;
}

void
idle_expo_render(struct idle_buf *out, enum idle_expo_format format,
		 const struct idle_snapshot *snap, const struct idle_process_stats *proc,
		 const char *version)
{
	size_t next = 0;

	(void)idle_expo_render_part(out, format, snap, proc, version, &next, SIZE_MAX);
}
