/*
 * CICal: Kindling's one boundary to libical (Debian's libical-dev), for reading the
 * person's calendar. Only the daemon links it; the CLI never does.
 *
 * libical does the calendar work itself: parsing, time zones (VTIMEZONE or the system's
 * zoneinfo), recurrence rules, EXDATE. The wrapper below exists because Swift cannot
 * hand a closure to icalcomponent_foreach_recurrence as a plain C function pointer with
 * a context of its own type, and because libical's fatal-error mode must be off before
 * the first call (a malformed file would otherwise abort the daemon).
 */
#ifndef KINDLING_CICAL_SHIM_H
#define KINDLING_CICAL_SHIM_H

#include <malloc.h>
#include <stdint.h>
#include <libical/ical.h>

/// One expanded instance of an event: seconds since the epoch (UTC), end exclusive.
typedef void (*kindling_ical_span_callback)(int64_t start, int64_t end, void *context);

struct kindling_ical_foreach_context {
    kindling_ical_span_callback callback;
    void *context;
};

static inline void kindling_ical_foreach_trampoline(icalcomponent *comp, struct icaltime_span *span, void *data) {
    (void)comp;
    struct kindling_ical_foreach_context *ctx = (struct kindling_ical_foreach_context *)data;
    ctx->callback((int64_t)span->start, (int64_t)span->end, ctx->context);
}

/// Every instance of `event` (its DTSTART and each RRULE/RDATE recurrence, EXDATEs left
/// out, as libical expands them) overlapping [from, to), in seconds since the epoch.
static inline void kindling_ical_foreach_instance(icalcomponent *event, int64_t from, int64_t to,
                                                  kindling_ical_span_callback callback, void *context) {
    icaltimezone *utc = icaltimezone_get_utc_timezone();
    struct icaltimetype start = icaltime_from_timet_with_zone((time_t)from, 0, utc);
    struct icaltimetype end = icaltime_from_timet_with_zone((time_t)to, 0, utc);
    struct kindling_ical_foreach_context ctx = {callback, context};
    icalcomponent_foreach_recurrence(event, start, end, kindling_ical_foreach_trampoline, &ctx);
}

/// How many entries a BY list holds (it ends at ICAL_RECURRENCE_ARRAY_MAX or when full).
static inline int64_t kindling_ical_by_count(const short *list, int size) {
    int64_t n = 0;
    while (n < size && list[n] != ICAL_RECURRENCE_ARRAY_MAX) n++;
    return n;
}

/// At most how many instances one period of `rule` (one step of its FREQ) can hold: the
/// product of the BY lists finer than its FREQ, which multiply its instances rather than
/// filter them (RFC 5545's table of BYxxx expansion). 1 for a rule without such lists.
static inline int64_t kindling_ical_instances_per_step(struct icalrecurrencetype rule) {
    int64_t product = 1;
    icalrecurrencetype_frequency f = rule.freq;
#define KINDLING_BY(list, size, finer) \
    if (finer) { int64_t n = kindling_ical_by_count(rule.list, size); if (n > 0) product *= n; }
    KINDLING_BY(by_second, ICAL_BY_SECOND_SIZE, f != ICAL_SECONDLY_RECURRENCE)
    KINDLING_BY(by_minute, ICAL_BY_MINUTE_SIZE, f != ICAL_SECONDLY_RECURRENCE && f != ICAL_MINUTELY_RECURRENCE)
    KINDLING_BY(by_hour, ICAL_BY_HOUR_SIZE,
                f == ICAL_DAILY_RECURRENCE || f == ICAL_WEEKLY_RECURRENCE || f == ICAL_MONTHLY_RECURRENCE ||
                    f == ICAL_YEARLY_RECURRENCE)
    KINDLING_BY(by_day, ICAL_BY_DAY_SIZE,
                f == ICAL_WEEKLY_RECURRENCE || f == ICAL_MONTHLY_RECURRENCE || f == ICAL_YEARLY_RECURRENCE)
    KINDLING_BY(by_month_day, ICAL_BY_MONTHDAY_SIZE, f == ICAL_MONTHLY_RECURRENCE || f == ICAL_YEARLY_RECURRENCE)
    KINDLING_BY(by_year_day, ICAL_BY_YEARDAY_SIZE, f == ICAL_YEARLY_RECURRENCE)
    KINDLING_BY(by_week_no, ICAL_BY_WEEKNO_SIZE, f == ICAL_YEARLY_RECURRENCE)
    KINDLING_BY(by_month, ICAL_BY_MONTH_SIZE, f == ICAL_YEARLY_RECURRENCE)
#undef KINDLING_BY
    return product;
}

/// Whether `rule` names days, weeks or months it keeps to (BYDAY, BYMONTHDAY, BYYEARDAY,
/// BYWEEKNO, BYMONTH, BYSETPOS). libical looks for the next instance one FREQ step at a time,
/// up to its last year, without regard to the horizon: in a rule that steps by the second, the
/// minute or the hour, such a list that rarely or never matches holds it for minutes. (In a
/// daily or coarser rule the same search takes a fraction of a second.)
static inline int kindling_ical_keeps_to_days(struct icalrecurrencetype rule) {
    return kindling_ical_by_count(rule.by_day, ICAL_BY_DAY_SIZE) > 0 ||
           kindling_ical_by_count(rule.by_month_day, ICAL_BY_MONTHDAY_SIZE) > 0 ||
           kindling_ical_by_count(rule.by_year_day, ICAL_BY_YEARDAY_SIZE) > 0 ||
           kindling_ical_by_count(rule.by_week_no, ICAL_BY_WEEKNO_SIZE) > 0 ||
           kindling_ical_by_count(rule.by_month, ICAL_BY_MONTH_SIZE) > 0 ||
           kindling_ical_by_count(rule.by_set_pos, ICAL_BY_SETPOS_SIZE) > 0;
}

/// An icaltimetype as seconds since the epoch: in its own zone (TZID or UTC), or, when it
/// is floating (no zone), in `floating_zone` (the person's zone; NULL means UTC).
static inline int64_t kindling_ical_seconds(struct icaltimetype t, icaltimezone *floating_zone) {
    icaltimezone *zone = (icaltimezone *)t.zone;
    if (zone == NULL && !icaltime_is_utc(t)) zone = floating_zone;
    if (zone == NULL) zone = icaltimezone_get_utc_timezone();
    return (int64_t)icaltime_as_timet_with_zone(t, zone);
}

/// A floating wall time given as if it were UTC (how libical's expansion reports a time
/// without a zone) as seconds since the epoch in `zone`.
static inline int64_t kindling_ical_floating_seconds(int64_t wall, icaltimezone *zone) {
    struct icaltimetype t = icaltime_from_timet_with_zone((time_t)wall, 0, NULL);
    return (int64_t)icaltime_as_timet_with_zone(t, zone ? zone : icaltimezone_get_utc_timezone());
}

/// Whether `t` is floating: a date-time with neither a TZID nor UTC.
static inline int kindling_ical_is_floating(struct icaltimetype t) {
    return t.zone == NULL && !icaltime_is_utc(t) && !icaltime_is_date(t) && !icaltime_is_null_time(t);
}

/// Gives the heap's free pages back to the system. libical builds a parsed file out of many
/// small allocations; once freed they would otherwise stay in the process.
static inline void kindling_ical_release_free_memory(void) {
    malloc_trim(0);
}

#endif /* KINDLING_CICAL_SHIM_H */
