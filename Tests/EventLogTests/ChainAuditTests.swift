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

    /// Two format-2 seals over `a-1`, `b-1` and `c-1` (the second records only `c-1`, which moved),
    /// chained, digested and signed as the store writes them.
    static func ledger(key: SealSigningKey, tamper: (inout [SealRecord]) -> Void = { _ in }) throws -> SealLedger {
        let first = [
            SealHash.Head(stream: "a-1", version: 3, hash: [1]), SealHash.Head(stream: "b-1", version: 2, hash: [2]),
            SealHash.Head(stream: "c-1", version: 1, hash: [3]),
        ]
        let second = [SealHash.Head(stream: "c-1", version: 5, hash: [7])]
        var seals: [SealRecord] = []
        var covered: [String: SealHash.Head] = [:]
        var previous = EventHash.genesis
        for (index, (heads, horizon)) in [(first, UInt64(100)), (second, UInt64(200))].enumerated() {
            for head in heads { covered[head.stream] = head }
            let digest = SealHash.digest(heads: Array(covered.values))
            let hash = SealHash.chainV2(previous: previous, digest: digest, sealedAtMicros: 1_000, horizon: horizon, streamCount: 3, eventCount: 9)
            seals.append(
                SealRecord(
                    id: Int64(index + 1), format: 2, sealedAtMicros: 1_000, snapshot: "", horizon: horizon, streamCount: 3, eventCount: 9,
                    headsDigest: digest, previousHash: previous, hash: hash, signature: try key.signature(for: hash),
                    keyID: key.verifyingKey.id, heads: heads))
            previous = hash
        }
        tamper(&seals)
        return SealLedger(seals)
    }

    static func record(_ stream: String, _ version: Int, hash: [UInt8], transaction: UInt64) throws -> AuditRecord {
        AuditRecord(
            stream: try StreamID(validating: stream), version: version, eventID: UUID(), type: "t.v1", schemaVersion: 1, data: "{}",
            metadata: "{}", occurredAtMicros: 0, recordedAtMicros: 0, previousHash: [], hash: hash, hashFormat: 2, transaction: transaction)
    }

    @Test("every head any seal recorded must still stand; a record below a seal's horizon that it misses was inserted")
    func sealedHeadsAndHorizons() throws {
        let ledger = try Self.ledger(key: .generate())
        // a-1 lost version 3; b-1's version 2 was rewritten; c-1 grew past both seals (fine);
        // d-1 claims a transaction below the first seal's horizon, yet no seal saw it.
        let a = try ledger.streamFindings(stream: "a-1", records: (1...2).map { try Self.record("a-1", $0, hash: [1], transaction: 10) })
        #expect(a.map(\.kind) == [.removed])
        #expect(a.first?.version == 3)
        let b = try ledger.streamFindings(
            stream: "b-1", records: [Self.record("b-1", 1, hash: [0], transaction: 10), Self.record("b-1", 2, hash: [8], transaction: 11)])
        #expect(b.map(\.kind) == [.edited])
        let c = try ledger.streamFindings(
            stream: "c-1",
            records: [
                Self.record("c-1", 1, hash: [3], transaction: 10), Self.record("c-1", 5, hash: [7], transaction: 150),
                Self.record("c-1", 6, hash: [6], transaction: 300),
            ])
        #expect(c.isEmpty)
        let d = try ledger.streamFindings(stream: "d-1", records: [Self.record("d-1", 1, hash: [4], transaction: 50)])
        #expect(d.map(\.kind) == [.inserted])
        #expect(ledger.vanishedStreams { $0 != "b-1" }.map(\.stream) == ["b-1"])
    }

    @Test("signed seals verify with their key; a rewritten seal chain without the key does not")
    func signedSeals() throws {
        let key = SealSigningKey.generate()
        #expect(try Self.ledger(key: key).chainFindings(verifyingKey: key.verifyingKey, expectedSeal: nil).isEmpty)
        let impostor = SealSigningKey.generate()
        let forged = try Self.ledger(key: impostor)
        #expect(forged.chainFindings(verifyingKey: nil, expectedSeal: nil).isEmpty)  // consistent, as a superuser would make it
        let findings = forged.chainFindings(verifyingKey: key.verifyingKey, expectedSeal: nil)
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.kind == .sealBroken && $0.detail.contains("is not signed by key \(key.verifyingKey.id)") })
        // Events and seals truncated together: consistent, unsigned, and missing the published seal.
        let published = try Self.ledger(key: key).seals[0].hash
        let truncated = try Self.ledger(key: key) { $0.removeAll() }
        #expect(truncated.chainFindings(verifyingKey: nil, expectedSeal: nil).isEmpty)
        #expect(truncated.chainFindings(verifyingKey: nil, expectedSeal: published).map(\.kind) == [.sealMissing])
        let edited = try Self.ledger(key: key) { seals in seals[1].heads[0].version = 4 }
        #expect(edited.chainFindings(verifyingKey: nil, expectedSeal: nil).map(\.detail) == ["seal 2 does not match the heads it recorded"])
    }

    @Test("key files round-trip; the wrong kind of key, or a damaged one, is named")
    func keyFiles() throws {
        let key = SealSigningKey.generate()
        let reread = try SealSigningKey(fileText: key.fileText)
        #expect(reread.verifyingKey.id == key.verifyingKey.id)
        #expect(try SealVerifyingKey(fileText: key.verifyingKey.fileText).id == key.verifyingKey.id)
        let wrongKind = #expect(throws: EventLogError.self) { try SealSigningKey(fileText: key.verifyingKey.fileText) }
        #expect(wrongKind?.message.contains("is it the public key?") == true)
        let damaged = #expect(throws: EventLogError.self) {
            try SealVerifyingKey(fileText: "-----BEGIN MUSTER SEAL PUBLIC KEY-----\nAAAA\n-----END MUSTER SEAL PUBLIC KEY-----\n")
        }
        #expect(damaged?.code == .invalidKey)
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
