import Foundation
import KindlingControl
import Testing

/// The program requests on the wire: each survives a round trip, and a malformed one is a
/// `bad_request` naming what is missing.
@Suite struct ProgramRequestTests {
    @Test func everyProgramRequestSurvivesTheWire() throws {
        let requests: [any ControlVerb] = [
            Request.ProgramList(), Request.ProgramShow(name: "gentle-week"), Request.ProgramAdd(path: "/tmp/p.toml"),
            Request.ProgramAdd(path: "/tmp/p.toml", replace: true), Request.ProgramStart(name: "gentle-week"),
            Request.ProgramStart(name: "gentle-week", over: true), Request.ProgramStop(), Request.ProgramSkip(step: nil),
            Request.ProgramSkip(step: 3),
        ]
        for request in requests {
            let line = RequestEnvelope(id: 5, request: request).encoded()
            #expect(try RequestEnvelope.decode(line).get() == RequestEnvelope(id: 5, request: request), "\(request)")
        }
        let line = String(
            decoding: RequestEnvelope(id: 7, request: Request.ProgramStart(name: "x", over: true)).encoded(), as: UTF8.self)
        #expect(line == #"{"cmd":"program_start","id":7,"name":"x","over":true,"v":1}"#)
    }

    @Test(arguments: [
        #"{"v":1,"id":1,"cmd":"program_show"}"#,
        #"{"v":1,"id":1,"cmd":"program_start","name":""}"#,
        #"{"v":1,"id":1,"cmd":"program_add","path":"relative.toml"}"#,
        #"{"v":1,"id":1,"cmd":"program_skip","step":0}"#,
        #"{"v":1,"id":1,"cmd":"program_skip","step":"two"}"#,
    ])
    func malformedProgramRequestsAreBadRequests(_ text: String) {
        guard case .failure(let failure) = RequestEnvelope.decode(Data(text.utf8)) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(failure.error.code == .badRequest, "\(failure)")
        #expect(!failure.error.message.isEmpty)
    }
}
