import EventLog
import EventLogTesting
import Foundation
import Testing

@Suite struct EventDataTests {
    @Test("payload is stored as canonical JSON: sorted keys, no whitespace")
    func canonicalPayload() throws {
        let event = try EventData(
            id: UUID(), type: "t.v1", data: #"{ "b": 1, "a": {"z": [1, 2], "y": "s/t"} }"#, metadata: Fixtures.actor,
            occurredAt: Fixtures.fixedDate)
        #expect(event.data == #"{"a":{"y":"s/t","z":[1,2]},"b":1}"#)
    }

    @Test(
        "canonical form is the same for equivalent JSON texts",
        arguments: [
            (#"{"a":1.50,"b":true}"#, #"{ "b" : true , "a" : 1.5 }"#),
            (#"{"x":"\u00e9"}"#, #"{"x":"é"}"#),
            (#"{"n":1e2}"#, #"{"n":100}"#),
        ])
    func equivalentTexts(pair: (String, String)) throws {
        #expect(try CanonicalJSON.canonicalize(pair.0, field: "data") == CanonicalJSON.canonicalize(pair.1, field: "data"))
    }

    @Test(
        "bad payloads name the field and the rule",
        arguments: [
            ("not json", "is not valid JSON"), ("[1,2]", "must be a JSON object"), ("42", "must be a JSON object"),
        ])
    func badPayload(input: (String, String)) {
        let error = #expect(throws: EventLogError.self) {
            try EventData(id: UUID(), type: "t.v1", data: input.0, metadata: Fixtures.actor, occurredAt: Fixtures.fixedDate)
        }
        #expect(error?.code == .invalidJSON)
        #expect(error?.description.contains("data of t.v1") == true)
        #expect(error?.description.contains(input.1) == true)
    }

    @Test func oversizePayloadIsRefused() {
        let big = #"{"x":""# + String(repeating: "a", count: CanonicalJSON.maximumBytes) + #""}"#
        let error = #expect(throws: EventLogError.self) {
            try EventData(id: UUID(), type: "t.v1", data: big, metadata: Fixtures.actor, occurredAt: Fixtures.fixedDate)
        }
        #expect(error?.code == .payloadTooLarge)
    }

    @Test("metadata needs an actor and a role")
    func metadataNeedsActor() {
        let error = #expect(throws: EventLogError.self) {
            try EventData(
                id: UUID(), type: "t.v1", data: "{}", metadata: EventMetadata(actorID: " ", actorRole: "fto"),
                occurredAt: Fixtures.fixedDate)
        }
        #expect(error?.code == .invalidMetadata)
    }

    @Test(
        "metadata JSON is parsed and validated",
        arguments: [
            (#"{"actor_id":"a","actor_role":"fto","source":"cli"}"#, true),
            (#"{"actor_id":"a"}"#, false), ("{oops", false), (#"{"actor_id":"a","actor_role":"r","correlation_id":"nope"}"#, false),
        ])
    func metadataJSON(input: (String, Bool)) {
        if input.1 {
            #expect((try? EventMetadata(json: input.0))?.source == "cli")
        } else {
            #expect(throws: EventLogError.self) { try EventMetadata(json: input.0) }
        }
    }

    @Test("occurred time is kept to the microsecond")
    func microsecondPrecision() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456789)
        let event = try EventData(id: UUID(), type: "t.v1", data: "{}", metadata: Fixtures.actor, occurredAt: date)
        #expect(Microseconds.since1970(event.occurredAt) == 1_700_000_000_123_457)
    }
}
