import EventLog
import EventLogTesting
import Foundation
import Testing

/// Builds a correct chain, tampers with it the ways a superuser could, and checks the audit
/// names what happened.
@Suite struct ChainAuditTests {
    static let stream = try! StreamID(validating: "trainee-abc")

    static func chain(_ count: Int) -> [AuditRecord] {
        var previous = EventHash.genesis
        return (1...count).map { version in
            let event = Fixtures.event(data: #"{"n":\#(version)}"#)
            let recorded: Int64 = 1_750_000_000_000_000 + Int64(version)
            let hash = EventHash.hash(
                previous: previous, content: event.hashContent(stream: stream, version: version), recordedAtMicros: recorded)
            defer { previous = hash }
            return AuditRecord(
                stream: stream, version: version, eventID: event.id, type: event.type, schemaVersion: 1, data: event.data,
                metadata: event.canonicalMetadata, occurredAtMicros: Microseconds.since1970(event.occurredAt),
                recordedAtMicros: recorded, previousHash: previous, hash: hash)
        }
    }

    @Test func intactChainHasNoFindings() {
        #expect(ChainAudit.verify(stream: Self.chain(5)).isEmpty)
    }

    @Test("jsonb's own formatting does not count as tampering")
    func reformattedJSONIsNotTampering() {
        var records = Self.chain(2)
        records[1].data = #"{"n": 2}"#
        records[1].metadata = records[1].metadata.replacingOccurrences(of: ",", with: ", ")
        #expect(ChainAudit.verify(stream: records).isEmpty)
    }

    @Test func editedPayloadIsNamed() {
        var records = Self.chain(4)
        records[1].data = #"{"n":99}"#
        #expect(ChainAudit.verify(stream: records).map(\.kind) == [.edited])
        #expect(ChainAudit.verify(stream: records).first?.version == 2)
    }

    @Test func editedRecordedTimeIsNamed() {
        var records = Self.chain(3)
        records[2].recordedAtMicros -= 86_400_000_000
        let findings = ChainAudit.verify(stream: records)
        #expect(findings.map(\.kind) == [.edited])
        #expect(findings.first?.version == 3)
    }

    @Test("an edit that also rewrites the hash is still found")
    func rehashedEditIsNamed() {
        var records = Self.chain(4)
        records[1].data = #"{"n":99}"#
        records[1].hash = records[1].recomputedForTest()
        let findings = ChainAudit.verify(stream: records)
        #expect(findings.map(\.kind) == [.edited])
        #expect(findings.first?.version == 2)
    }

    @Test func removedEventIsNamed() {
        var records = Self.chain(4)
        records.remove(at: 1)
        let findings = ChainAudit.verify(stream: records)
        #expect(findings.map(\.kind) == [.removed])
        #expect(findings.first?.version == 2)
    }

    @Test func reorderedEventsAreNamed() {
        var records = Self.chain(4)
        records.swapAt(1, 2)
        records[1].version = 2
        records[2].version = 3
        let findings = ChainAudit.verify(stream: records)
        #expect(Set(findings.map(\.kind)) == [.reordered])
        #expect(findings.map(\.version) == [2, 3, 4])
    }

    @Test func insertedEventIsNamed() {
        var records = Self.chain(3)
        var forged = records[2]
        forged.version = 4
        forged.eventID = UUID()
        forged.previousHash = Array(repeating: 7, count: 32)
        records.append(forged)
        let findings = ChainAudit.verify(stream: records)
        #expect(findings.map(\.kind) == [.inserted])
        #expect(findings.first?.version == 4)
    }

    @Test func sealComparisonFindsRemovedHeadAndRewrite() {
        let heads = [
            SealHash.Head(stream: "a-1", version: 3, hash: [1]), SealHash.Head(stream: "b-1", version: 2, hash: [2]),
            SealHash.Head(stream: "c-1", version: 1, hash: [3]),
        ]
        let current = [
            "a-1": SealHash.Head(stream: "a-1", version: 2, hash: [9]), "b-1": SealHash.Head(stream: "b-1", version: 2, hash: [8]),
            "c-1": SealHash.Head(stream: "c-1", version: 5, hash: [7]),
        ]
        let findings = SealHash.compare(sealed: heads, current: current, missedBySeal: [("d-1", 1)])
        #expect(findings.map(\.kind) == [.removed, .edited, .inserted])
        #expect(findings.map(\.stream) == ["a-1", "b-1", "d-1"])
    }

    @Test func sealDigestIgnoresOrderButNotContent() {
        let a = SealHash.Head(stream: "a-1", version: 1, hash: [1])
        let b = SealHash.Head(stream: "b-1", version: 2, hash: [2])
        #expect(SealHash.digest(heads: [a, b]) == SealHash.digest(heads: [b, a]))
        #expect(SealHash.digest(heads: [a, b]) != SealHash.digest(heads: [a]))
    }
}

extension AuditRecord {
    func recomputedForTest() -> [UInt8] {
        let content = EventHash.content(
            stream: stream, version: version, eventID: eventID, type: type, schemaVersion: schemaVersion,
            canonicalData: try! CanonicalJSON.canonicalize(data, field: "d"),
            canonicalMetadata: try! CanonicalJSON.canonicalize(metadata, field: "m"), occurredAtMicros: occurredAtMicros)
        return EventHash.hash(previous: previousHash, content: content, recordedAtMicros: recordedAtMicros)
    }
}
