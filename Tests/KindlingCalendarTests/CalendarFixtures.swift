import Foundation

/// Calendars written for the tests, in the shapes Evolution, Thunderbird and khal leave on disk.
enum CalendarFixtures {
    /// Weekly Tuesday sessions at 10:00-10:50 New York time from 2026-03-03, across the change to
    /// daylight saving time on 2026-03-08: no VTIMEZONE, so the zone comes from the system's
    /// zoneinfo through libical. 03-17 is an exception date; the 03-24 session is moved to 13:00.
    /// Also: an all-day event and a free (transparent) one, which hold nothing, a cancelled one,
    /// and three sessions on Friday 03-06 back to back (the last after a two-minute gap).
    static let newYork = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Kindling tests//EN
        BEGIN:VEVENT
        UID:weekly-ny@kindling.test
        DTSTAMP:20260201T000000Z
        SUMMARY:Client session
        DTSTART;TZID=America/New_York:20260303T100000
        DTEND;TZID=America/New_York:20260303T105000
        RRULE:FREQ=WEEKLY;BYDAY=TU
        EXDATE;TZID=America/New_York:20260317T100000
        END:VEVENT
        BEGIN:VEVENT
        UID:weekly-ny@kindling.test
        DTSTAMP:20260201T000000Z
        SUMMARY:Client session (moved)
        RECURRENCE-ID;TZID=America/New_York:20260324T100000
        DTSTART;TZID=America/New_York:20260324T130000
        DTEND;TZID=America/New_York:20260324T135000
        END:VEVENT
        BEGIN:VEVENT
        UID:all-day@kindling.test
        DTSTAMP:20260201T000000Z
        SUMMARY:Conference
        DTSTART;VALUE=DATE:20260305
        DTEND;VALUE=DATE:20260306
        END:VEVENT
        BEGIN:VEVENT
        UID:free@kindling.test
        DTSTAMP:20260201T000000Z
        SUMMARY:Reading time
        DTSTART:20260305T120000Z
        DTEND:20260305T130000Z
        TRANSP:TRANSPARENT
        END:VEVENT
        BEGIN:VEVENT
        UID:cancelled@kindling.test
        DTSTAMP:20260201T000000Z
        SUMMARY:Cancelled supervision
        DTSTART:20260305T140000Z
        DTEND:20260305T150000Z
        STATUS:CANCELLED
        END:VEVENT
        BEGIN:VEVENT
        UID:b2b-1@kindling.test
        DTSTAMP:20260201T000000Z
        DTSTART:20260306T140000Z
        DTEND:20260306T145000Z
        END:VEVENT
        BEGIN:VEVENT
        UID:b2b-2@kindling.test
        DTSTAMP:20260201T000000Z
        DTSTART:20260306T145000Z
        DURATION:PT50M
        END:VEVENT
        BEGIN:VEVENT
        UID:b2b-3@kindling.test
        DTSTAMP:20260201T000000Z
        DTSTART:20260306T154200Z
        DTEND:20260306T163000Z
        END:VEVENT
        END:VCALENDAR

        """.replacingOccurrences(of: "\n", with: "\r\n")

    /// Weekly Monday sessions at 09:00-09:50 Berlin time, three of them from 2026-03-23, across
    /// the change to summer time on 2026-03-29, with the zone given by the file's own VTIMEZONE.
    static let berlin = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Kindling tests//EN
        BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        TZNAME:CEST
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        TZNAME:CET
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        END:VTIMEZONE
        BEGIN:VEVENT
        UID:weekly-berlin@kindling.test
        DTSTAMP:20260201T000000Z
        SUMMARY:Sitzung
        DTSTART;TZID=Europe/Berlin:20260323T090000
        DTEND;TZID=Europe/Berlin:20260323T095000
        RRULE:FREQ=WEEKLY;COUNT=3
        END:VEVENT
        END:VCALENDAR

        """

    /// An instant written as UTC `YYYY-MM-DDTHH:MM`.
    static func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text + ":00Z")!
    }
}
