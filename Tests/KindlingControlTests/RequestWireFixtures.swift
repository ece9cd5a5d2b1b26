import KindlingControl

/// Today's request lines, byte for byte, for every verb: what a client writes and what a daemon
/// must understand. They were recorded from the code before the verbs were defined one type
/// each, so a change to how requests are built cannot change the wire unnoticed (an old client
/// and a new daemon, or the reverse, still talk). Edit a line only with DESIGN.md.
enum RequestWireFixtures {
    /// A text that needs every kind of escape the writer knows.
    static let hardText = "quote \" backslash \\ slash / newline \n tab \t control \u{1} unicode 😊"

    static let entry = ExportEntry(
        type: "note", id: 3, at: "2026-11-21T08:00:00.000Z", localDate: "2026-11-21", text: "a \"b\"\n/",
        slot: nil, prompt: nil, kind: "given", mood: 2, energy: nil, channel: nil, editedAt: nil)

    static let answer = ExportEntry(
        type: "answer", id: 9_007_199_254, at: "2026-11-21T21:00:00.000+01:00", localDate: "2026-11-21", text: "yes",
        slot: "reflection", prompt: "Where did you rest?", kind: nil, mood: 4, energy: 5, channel: "cli",
        editedAt: "2026-11-22T08:00:00.000+01:00")

    /// Each line as the client writes it (id 7) and the request it carries. Both directions
    /// hold: the request encodes to exactly this line, and the line decodes to the request.
    static let canonical: [(line: String, request: any ControlVerb)] = [
        (#"{"cmd":"status","id":7,"v":1}"#, Request.Status()),
        (#"{"cmd":"reload","id":7,"v":1}"#, Request.Reload()),
        (#"{"cmd":"next","count":5,"id":7,"v":1}"#, Request.Next(count: 5, from: nil)),
        (
            #"{"cmd":"next","count":1000,"from":"2026-03-29T00:00:00+01:00","id":7,"v":1}"#,
            Request.Next(count: 1000, from: "2026-03-29T00:00:00+01:00")
        ),
        (#"{"cmd":"pending","id":7,"v":1}"#, Request.Pending()),
        (#"{"cmd":"watch","id":7,"v":1}"#, Request.Watch()),
        (#"{"cmd":"fire","id":7,"slot":"intention","v":1}"#, Request.Fire(slot: "intention")),
        (
            #"{"channel":"cli","cmd":"respond","id":7,"text":"I will call my sister.","v":1}"#,
            Request.Respond(id: nil, text: "I will call my sister.", mood: nil, energy: nil, channel: "cli")
        ),
        (
            #"{"channel":"desktop","cmd":"respond","energy":2,"id":7,"mood":5,"prompt_id":41,"text":"","v":1}"#,
            Request.Respond(id: 41, text: "", mood: 5, energy: 2, channel: "desktop")
        ),
        (
            #"{"channel":"dialog","cmd":"respond","id":7,"text":"quote \" backslash \\ slash / newline \n tab \t control \u0001 unicode 😊","v":1}"#,
            Request.Respond(id: nil, text: hardText, mood: nil, energy: nil, channel: "dialog")
        ),
        (#"{"cmd":"snooze","id":7,"v":1}"#, Request.Snooze(id: nil, duration: nil)),
        (#"{"cmd":"snooze","for":"1h30m","id":7,"prompt_id":12,"v":1}"#, Request.Snooze(id: 12, duration: "1h30m")),
        (#"{"cmd":"skip","id":7,"v":1}"#, Request.Skip(id: nil)),
        (#"{"cmd":"skip","id":7,"prompt_id":8999999999999998,"v":1}"#, Request.Skip(id: 8_999_999_999_999_998)),
        (#"{"cmd":"pause","id":7,"v":1}"#, Request.Pause(duration: nil, until: nil)),
        (#"{"cmd":"pause","for":"2h","id":7,"v":1}"#, Request.Pause(duration: "2h", until: nil)),
        (#"{"cmd":"pause","id":7,"until":"18:30","v":1}"#, Request.Pause(duration: nil, until: "18:30")),
        (#"{"cmd":"resume","id":7,"v":1}"#, Request.Resume()),
        (#"{"cmd":"note","id":7,"text":"held a door","v":1}"#, Request.Note(text: "held a door", kind: nil)),
        (
            #"{"cmd":"note","energy":1,"id":7,"kind":"received","mood":4,"text":"a kind word","v":1}"#,
            Request.Note(text: "a kind word", kind: "received", mood: 4, energy: 1)
        ),
        (#"{"cmd":"note","id":7,"kind":"given","text":"tea","v":1}"#, Request.Note(text: "tea", kind: "given")),
        (#"{"cmd":"entry","entry_id":7,"id":7,"v":1}"#, Request.Entry(id: 7)),
        (#"{"cmd":"edit","entry_id":8,"id":7,"mood":5,"v":1}"#, Request.Edit(id: 8, text: nil, mood: 5, energy: nil)),
        (
            #"{"cmd":"edit","energy":3,"entry_id":8,"expected_digest":"abc123","id":7,"text":"new words","v":1}"#,
            Request.Edit(id: 8, text: "new words", mood: nil, energy: 3, expected: "abc123")
        ),
        (#"{"cmd":"delete","entry_id":8,"id":7,"v":1}"#, Request.Delete(id: 8)),
        (#"{"all":true,"cmd":"erase","id":7,"v":1}"#, Request.Erase()),
        (#"{"cmd":"journal","id":7,"v":1}"#, Request.Journal(since: nil, until: nil, slot: nil, search: nil, limit: nil)),
        (
            #"{"cmd":"journal","id":7,"limit":30,"search":"door","since":"today","slot":"nudge","until":"2026-11-21","v":1}"#,
            Request.Journal(since: "today", until: "2026-11-21", slot: "nudge", search: "door", limit: 30)
        ),
        (#"{"cmd":"stats","id":7,"v":1,"weeks":8}"#, Request.Stats(weeks: 8)),
        (#"{"cmd":"stats","id":7,"v":1,"weeks":52}"#, Request.Stats(weeks: 52)),
        (#"{"cmd":"backup","id":7,"v":1}"#, Request.Backup(output: nil)),
        (#"{"cmd":"backup","id":7,"output":"/tmp/b.sqlite","v":1}"#, Request.Backup(output: "/tmp/b.sqlite")),
        (
            #"{"cmd":"backup","id":7,"output":"/tmp/b.sqlite","replace":true,"v":1}"#,
            Request.Backup(output: "/tmp/b.sqlite", replace: true)
        ),
        (#"{"cmd":"restore","id":7,"path":"/home/p/kindling.sqlite","v":1}"#, Request.Restore(path: "/home/p/kindling.sqlite")),
        (#"{"cmd":"export","id":7,"v":1}"#, Request.Export()),
        (#"{"cmd":"encrypt","id":7,"v":1}"#, Request.Encrypt()),
        (
            #"{"cmd":"encrypt","id":7,"passphrase":"a long \"quoted\" phrase","v":1}"#,
            Request.Encrypt(passphrase: "a long \"quoted\" phrase")
        ),
        (#"{"cmd":"decrypt","id":7,"v":1}"#, Request.Decrypt()),
        (#"{"cmd":"unlock","id":7,"passphrase":"open sesame","v":1}"#, Request.Unlock(passphrase: "open sesame")),
        (#"{"cmd":"import","entries":[],"id":7,"v":1}"#, Request.Import(entries: [])),
        (#"{"cmd":"import","entries":[],"id":7,"more":true,"v":1}"#, Request.Import(entries: [], more: true)),
        (
            #"{"cmd":"import","entries":[{"at":"2026-11-21T08:00:00.000Z","channel":null,"edited_at":null,"energy":null,"id":3,"kind":"given","local_date":"2026-11-21","mood":2,"prompt":null,"slot":null,"text":"a \"b\"\n/","type":"note"},{"at":"2026-11-21T21:00:00.000+01:00","channel":"cli","edited_at":"2026-11-22T08:00:00.000+01:00","energy":5,"id":9007199254,"kind":null,"local_date":"2026-11-21","mood":4,"prompt":"Where did you rest?","slot":"reflection","text":"yes","type":"answer"}],"id":7,"more":true,"v":1}"#,
            Request.Import(entries: [entry, answer], more: true)
        ),
        (#"{"cmd":"week","id":7,"v":1}"#, Request.Week(date: nil)),
        (#"{"cmd":"week","date":"2026-11-18","id":7,"v":1}"#, Request.Week(date: "2026-11-18")),
        (#"{"cmd":"breathe","id":7,"v":1}"#, Request.Breathe()),
        (#"{"cmd":"prompt_list","id":7,"v":1}"#, Request.PromptList()),
        (#"{"cmd":"prompt_hide","id":7,"key":"break.stretch","v":1}"#, Request.PromptHide(key: "break.stretch")),
        (#"{"cmd":"prompt_show","id":7,"key":"break.stretch","v":1}"#, Request.PromptShow(key: "break.stretch")),
        (#"{"cmd":"report","id":7,"v":1}"#, Request.Report(since: nil, until: nil)),
        (
            #"{"cmd":"report","entry_ids":[3,9007199254],"id":7,"since":"2026-01-01","until":"today","v":1,"with_text":true}"#,
            Request.Report(since: "2026-01-01", until: "today", withText: true, entries: [3, 9_007_199_254])
        ),
        (#"{"cmd":"report","entry_ids":[5],"id":7,"v":1}"#, Request.Report(since: nil, until: nil, entries: [5])),
        (#"{"cmd":"program_list","id":7,"v":1}"#, Request.ProgramList()),
        (#"{"cmd":"program_show","id":7,"name":"gentle-week","v":1}"#, Request.ProgramShow(name: "gentle-week")),
        (#"{"cmd":"program_add","id":7,"path":"/tmp/p.toml","v":1}"#, Request.ProgramAdd(path: "/tmp/p.toml")),
        (
            #"{"cmd":"program_add","id":7,"path":"/tmp/p.toml","replace":true,"v":1}"#,
            Request.ProgramAdd(path: "/tmp/p.toml", replace: true)
        ),
        (#"{"cmd":"program_start","id":7,"name":"x","v":1}"#, Request.ProgramStart(name: "x")),
        (#"{"cmd":"program_start","id":7,"name":"x","over":true,"v":1}"#, Request.ProgramStart(name: "x", over: true)),
        (#"{"cmd":"program_stop","id":7,"v":1}"#, Request.ProgramStop()),
        (#"{"cmd":"program_skip","id":7,"v":1}"#, Request.ProgramSkip(step: nil)),
        (#"{"cmd":"program_skip","id":7,"step":3,"v":1}"#, Request.ProgramSkip(step: 3)),
    ]

    /// Lines a client may write that this one does not: other key orders, defaults written
    /// out, nulls for absent values, other whitespace. A daemon must read each as the request
    /// beside it.
    static let accepted: [(line: String, request: any ControlVerb)] = [
        (#"{"v":1,"id":7,"cmd":"status"}"#, Request.Status()),
        (#" { "cmd" : "status" , "id" : 7 , "v" : 1 } "#, Request.Status()),
        (#"{"cmd":"status","id":7,"v":1,"unknown":{"nested":[1,2]}}"#, Request.Status()),
        (#"{"cmd":"next","id":7,"v":1}"#, Request.Next(count: 5, from: nil)),
        (#"{"cmd":"next","count":null,"from":null,"id":7,"v":1}"#, Request.Next(count: 5, from: nil)),
        (
            #"{"cmd":"respond","id":7,"text":"t","v":1}"#,
            Request.Respond(id: nil, text: "t", mood: nil, energy: nil, channel: "cli")
        ),
        (
            #"{"channel":null,"cmd":"respond","energy":null,"id":7,"mood":null,"prompt_id":null,"text":"t","v":1}"#,
            Request.Respond(id: nil, text: "t", mood: nil, energy: nil, channel: "cli")
        ),
        (#"{"cmd":"note","id":7,"kind":null,"text":"t","v":1}"#, Request.Note(text: "t", kind: nil)),
        (#"{"cmd":"stats","id":7,"v":1}"#, Request.Stats(weeks: 8)),
        (#"{"cmd":"backup","id":7,"output":null,"replace":false,"v":1}"#, Request.Backup(output: nil)),
        (#"{"cmd":"import","entries":[],"id":7,"more":false,"v":1}"#, Request.Import(entries: [])),
        (#"{"cmd":"report","entry_ids":[],"id":7,"v":1,"with_text":false}"#, Request.Report(since: nil, until: nil)),
        (#"{"cmd":"report","entry_ids":null,"id":7,"v":1}"#, Request.Report(since: nil, until: nil)),
        (#"{"cmd":"program_add","id":7,"path":"/p.toml","replace":false,"v":1}"#, Request.ProgramAdd(path: "/p.toml")),
        (#"{"cmd":"program_start","id":7,"name":"x","over":false,"v":1}"#, Request.ProgramStart(name: "x")),
        (#"{"cmd":"program_skip","id":7,"step":null,"v":1}"#, Request.ProgramSkip(step: nil)),
        (#"{"cmd":"prompt_hide","id":7,"key":"k","hidden":false,"v":1}"#, Request.PromptHide(key: "k")),
    ]

    /// Lines a daemon must refuse, with the code and message it answers today.
    static let refused: [(line: String, code: ControlError.Code, message: String)] = [
        (#"{"cmd":"next","count":0,"id":7,"v":1}"#, .badRequest, #""count" must be between 1 and 1000"#),
        (#"{"cmd":"next","count":"5","id":7,"v":1}"#, .badRequest, #""count" must be an integer"#),
        (#"{"cmd":"next","count":5,"from":3,"id":7,"v":1}"#, .badRequest, #""from" must be a string"#),
        // Integers stop short of 9e15, where a double (a JavaScript client) can no longer count.
        (#"{"cmd":"skip","id":7,"prompt_id":9007199254740991,"v":1}"#, .badRequest, #""prompt_id" must be an integer"#),
        (#"{"cmd":"fire","id":7,"v":1}"#, .badRequest, #"fire needs a "slot""#),
        (#"{"cmd":"respond","id":7,"v":1}"#, .badRequest, #"respond needs the answer's "text""#),
        (#"{"cmd":"respond","id":7,"mood":1e99,"text":"t","v":1}"#, .badRequest, #""mood" must be an integer"#),
        (#"{"cmd":"note","id":7,"v":1}"#, .badRequest, #"note needs the note's "text""#),
        (#"{"cmd":"note","id":7,"kind":"taken","text":"t","v":1}"#, .badRequest, #""kind" must be "given" or "received""#),
        (#"{"cmd":"entry","id":7,"v":1}"#, .badRequest, #"entry needs an "entry_id""#),
        (#"{"cmd":"edit","id":7,"v":1}"#, .badRequest, #"edit needs an "entry_id""#),
        (#"{"cmd":"delete","entry_id":"8","id":7,"v":1}"#, .badRequest, #""entry_id" must be an integer"#),
        (#"{"cmd":"erase","id":7,"v":1}"#, .badRequest, #"erase needs "all": true (to remove one entry, use delete)"#),
        (
            #"{"all":"true","cmd":"erase","id":7,"v":1}"#, .badRequest,
            #"erase needs "all": true (to remove one entry, use delete)"#
        ),
        (#"{"cmd":"journal","id":7,"limit":0,"v":1}"#, .badRequest, #""limit" must be between 1 and 10000 days"#),
        (#"{"cmd":"stats","id":7,"v":1,"weeks":53}"#, .badRequest, #""weeks" must be between 1 and 52"#),
        (#"{"cmd":"backup","id":7,"output":"b.sqlite","v":1}"#, .badRequest, #""output" must be an absolute path"#),
        (#"{"cmd":"backup","id":7,"replace":1,"v":1}"#, .badRequest, #""replace" must be true or false"#),
        (#"{"cmd":"encrypt","id":7,"passphrase":"","v":1}"#, .badRequest, #""passphrase" must not be empty"#),
        (#"{"cmd":"unlock","id":7,"v":1}"#, .badRequest, #"unlock needs the "passphrase""#),
        (
            #"{"cmd":"restore","id":7,"path":"b.sqlite","v":1}"#, .badRequest,
            #"restore needs the absolute "path" of a journal file"#
        ),
        (#"{"cmd":"import","id":7,"v":1}"#, .badRequest, #"import needs a list of "entries""#),
        (#"{"cmd":"import","entries":[{}],"id":7,"v":1}"#, .badRequest, "entry 1 of the batch is not an exported entry"),
        (
            #"{"cmd":"prompt_hide","id":7,"key":"","v":1}"#, .badRequest,
            #"prompt_hide needs the prompt's "key" (see kindling prompt list)"#
        ),
        (
            #"{"cmd":"prompt_show","id":7,"v":1}"#, .badRequest,
            #"prompt_show needs the prompt's "key" (see kindling prompt list)"#
        ),
        (#"{"cmd":"report","entry_ids":[1.5],"id":7,"v":1}"#, .badRequest, #""entry_ids" must hold integers only"#),
        (#"{"cmd":"report","entry_ids":7,"id":7,"v":1}"#, .badRequest, #""entry_ids" must be a list of at most 10000 integers"#),
        (
            #"{"cmd":"program_show","id":7,"v":1}"#, .badRequest,
            #"program_show needs the program's "name" (see kindling program list)"#
        ),
        (
            #"{"cmd":"program_start","id":7,"name":"","v":1}"#, .badRequest,
            #"program_start needs the program's "name" (see kindling program list)"#
        ),
        (#"{"cmd":"program_add","id":7,"v":1}"#, .badRequest, #"program_add needs the absolute "path" of a program file"#),
        (#"{"cmd":"program_skip","id":7,"step":0,"v":1}"#, .badRequest, #""step" must be 1 or more"#),
        (#"{"cmd":"Status","id":7,"v":1}"#, .unknownCommand, #"unknown command "Status""#),
        (#"{"cmd":"prompt_visibility","id":7,"v":1}"#, .unknownCommand, #"unknown command "prompt_visibility""#),
        (#"{"cmd":"erase_all","id":7,"v":1}"#, .unknownCommand, #"unknown command "erase_all""#),
    ]
}
