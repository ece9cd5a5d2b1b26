// The default configuration file, compiled in: SwiftPM resources resolve to the build
// folder on Linux and break once installed elsewhere (DESIGN.md). Config/kindling.toml is
// a byte-for-byte copy of this text; a test keeps the two the same.

extension Configuration {
    /// The text of the default `config.toml`: every key, commented, at its default value.
    /// Identical to `Config/kindling.toml`; ``defaults`` is this text parsed.
    public static let defaultTOML: String = #"""
        # Kindling settings
        #
        # This is the file Kindling uses when you have none of your own. Every setting is
        # here, at its default value. To change something, copy this file to
        # ~/.config/kindling/config.toml and edit it; anything you leave as it is keeps
        # its default. `kindling config check` looks your changes over, and
        # `kindling reload` puts them to work without a restart.
        #
        # Kindling is a self-help companion, not a crisis service. If you are in crisis
        # or thinking about harming yourself, please call your local emergency number or
        # a crisis line in your country now.
        #
        # How values are written:
        #   times       "08:00" or "08:00:30" (24-hour clock)
        #   windows     "09:00-17:00"; a window may run past midnight, like "22:00-07:00"
        #   durations   "90s", "10m", "2h" or "1h30m"
        #   days        "daily", "weekdays", "weekends", or a list such as ["mon", "thu"]
        #
        # Every prompt slot ([intention], [nudge], [reflection], [review], [break] and
        # each [[custom]]) also understands:
        #   enabled = false            turn the slot off
        #   builtin_prompts = false    use only your own [[prompt]] entries for it
        #   answer_until = "12:00"     how long a prompt stays open: until a time of day,
        #   valid_for = "2h"           or for a while after it arrives (pick one, not both)
        # A prompt you do not get to simply closes. Nothing is lost, and nobody is
        # keeping score.

        # The time zone your day follows. "local" keeps up with your computer, even when
        # you travel. You can also name a zone, such as "America/Chicago".
        timezone = "local"

        # Hours when Kindling keeps quiet, such as "22:00-07:00". A prompt due in quiet
        # hours waits until they end, if it is still open then. "" means no quiet hours.
        quiet_hours = ""

        # Now and then, at most once a week, an evening reflection ends with a few words
        # saying that you are appreciated and enough as you are. false turns them off.
        affirmations = true
        # Streaks count the days you practise, and forgive two quiet days in each week.
        # Days when Kindling is paused are simply stepped over: rest never costs a streak.
        # false: no streak and no count of practised days is shown anywhere (stats,
        # today, status and the weekly review), for when any count feels like pressure.
        streaks = true

        # Morning intention: one small question to begin the day, such as whom you might
        # encourage, or how you could be gentle with yourself.
        [intention]
        enabled = true
        builtin_prompts = true
        at = "08:00"                   # one time, or a list such as ["07:30", "09:00"]
        days = "daily"
        answer_until = "12:00"         # or, instead, valid_for = "4h"
        ask_mood = true                # when you answer in a terminal, also offer to note
                                       # your mood and energy, 1 to 5 (Enter skips them)

        # Mindful action: an idea for one small, deliberate act of kindness. It comes at a
        # random moment inside the window, and that moment stays the same all day.
        [nudge]
        enabled = true
        builtin_prompts = true
        window = "10:00-16:00"
        ask_mood = false               # true: also offer mood and energy when you answer
        # Without answer_until or valid_for, a nudge stays open until the window ends.

        # Evening reflection: what kindness did you give or receive today? It reminds
        # you of the morning's intention, so the day comes full circle.
        [reflection]
        enabled = true
        builtin_prompts = true
        at = "21:00"
        days = "daily"
        answer_until = "10:00"         # that is, 10:00 the next morning; an answer written
                                       # after midnight still belongs to the evening it
                                       # looks back on
        ask_mood = true                # also offer to note your mood and energy, 1 to 5

        # Weekly review: a quiet look back over the week.
        [review]
        enabled = true
        builtin_prompts = true
        at = "sun 19:00"               # a day of the week and a time
        valid_for = "24h"
        ask_mood = false               # true: also offer mood and energy when you answer

        # Breathing space: a reminder between sessions or tasks to pause, take a breath,
        # maybe make a warm drink. It is off until you turn it on.
        [break]
        enabled = false
        builtin_prompts = true
        every = "50m"                  # counted from the start of the window below;
                                       # "5m" at the shortest
        during = "09:00-17:00"
        days = "weekdays"
        after_events = false           # true: a breath when each busy event in your
                                       # [calendar] ends, even with enabled = false above
                                       # (days and during do not limit it); timed breaks
                                       # never come inside an event
        min_gap = "5m"                 # events closer together than this count as one,
                                       # with one break after the last
        # Without answer_until or valid_for, a break reminder stays open until the next one.
        # A break asks nothing back, not even how you feel.

        # Your calendar, for a day of sessions or meetings. Kindling reads it and
        # nothing else: while a busy event is on, prompts wait (on every channel) and come
        # when it ends, if they are still open. All-day events and events marked free
        # never hold anything.
        [calendar]
        path = ""                      # an .ics file, or a folder of them (not its
                                       # subfolders), e.g. "~/calendars/work.ics";
                                       # "" = no calendar. Re-read when it changes.
        hold = true                    # false: prompts come during events too

        # Calls you did not plan: while a program records your microphone or takes
        # video (a call, the camera, a shared screen on Wayland), prompts wait as they do
        # during an event. Kindling learns it from PipeWire, without listening to anything.
        # It cannot see screen sharing on X11, or a camera a program opens directly.
        [calls]
        hold = true                    # false: prompts come during calls too
        ignore = ["pavucontrol", "easyeffects"]
                                       # programs whose recording is not a call (level
                                       # meters, noise filters), as `kindling status` names them

        # A program gives your days a gentle theme.
        #   "widening-circle"  four weeks: yourself, then family, then acquaintances and
        #                      coworkers, then strangers and your community
        #   "five-day-reset"   five days, one small act each day
        #   "none"             no program, just the daily prompts
        # or the name of a program you added with `kindling program add FILE`
        # (docs/programs.md: how to write one). `kindling program start NAME` and
        # `stop` choose for you until you change this name.
        # A program moves on only on days you practise, so a quiet day never puts you
        # behind. Each program keeps its own progress: switch to another one and it starts
        # at its first day (or where you left it); switch back and you carry on there.
        [program]
        name = "widening-circle"
        start = ""                     # "YYYY-MM-DD", or "" to begin the first day Kindling runs
        skip = []                      # parts to leave out, for any reason or none:
                                       # weeks of widening-circle, e.g. [2] for the family
                                       # week; single days as "day 10" or "week 2 day 3"
                                       # (the same day); days of five-day-reset, e.g. [3]

        # How prompts reach you.
        [delivery]
        desktop = true                 # desktop notifications
        terminal = true                # show prompts in terminals running `kindling watch`
        command = ""                   # a command of your own, run for every prompt, with
                                       # KINDLING_ID, KINDLING_SLOT and KINDLING_EXPIRES_AT
                                       # set, and KINDLING_TEXT too unless discreet is on
                                       # (then a slot of your own is named only "custom");
                                       # "" runs nothing. Commands never go through a shell.
        respond_command = "auto"       # what a notification's Answer button opens; "auto"
                                       # opens a small answer window (zenity, kdialog or
                                       # yad), else `kindling respond ID` in your terminal
                                       # ($TERMINAL, x-terminal-emulator, ...), "" leaves
                                       # the button out; in a command of your own, {id}
                                       # stands for the prompt's id (else it comes last)
        snooze = "10m"                 # how long a snoozed prompt waits
        discreet = false               # true: notifications and the command only say that
                                       # a prompt is waiting, never its text or your answers
                                       # (for lock screens, shared screens and phones);
                                       # "when-locked": the same, but only while the screen
                                       # is locked (or its screensaver runs); or each its
                                       # own way, e.g. discreet = { desktop = "when-locked",
                                       # hook = true }
        keep_in_history = false        # false: notifications ask the desktop not to keep
                                       # them in its history once they close, so prompts
                                       # and your intentions are not left there to read

        # Your own prompts join a slot's rotation alongside the built-in ones (or replace
        # them, with builtin_prompts = false in that slot). Add as many as you like, each
        # in its own block:
        #
        # [[prompt]]
        # slot = "intention"           # intention, nudge, reflection, review, break,
        #                              # or the name of one of your [[custom]] slots
        # text = "Whose day could I make a little lighter?"

        # Your own reminder slots. Each takes the settings every slot understands, too.
        #
        # [[custom]]
        # name = "water"               # lowercase letters, digits, "-" and "_"
        # at = ["10:30", "15:30"]      # one time, or a list
        # days = "daily"
        # text = "A glass of water is a small kindness to your body."
        # valid_for = "2h"             # the default for custom slots
        # ask_mood = false             # true: also offer mood and energy when you answer

        """#
}
