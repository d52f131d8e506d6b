public import Foundation

/// One stored event as the auditor sees it: every column the hash chain covers, read back
/// from storage without trusting anything derived.
public struct AuditRecord: Sendable {
    public var stream: StreamID
    public var version: Int
    public var eventID: UUID
    public var type: String
    public var schemaVersion: Int
    /// Payload as the store returns it (any JSON text; it is canonicalized before hashing).
    public var data: String
    public var metadata: String
    public var occurredAtMicros: Int64
    public var recordedAtMicros: Int64
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    public init(
        stream: StreamID, version: Int, eventID: UUID, type: String, schemaVersion: Int, data: String, metadata: String,
        occurredAtMicros: Int64, recordedAtMicros: Int64, previousHash: [UInt8], hash: [UInt8]
    ) {
        self.stream = stream
        self.version = version
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
        self.occurredAtMicros = occurredAtMicros
        self.recordedAtMicros = recordedAtMicros
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash this record should carry given its own stored previous hash.
    func recomputedHash() -> [UInt8]? {
        guard let data = try? CanonicalJSON.canonicalize(data, field: "data"),
            let metadata = try? CanonicalJSON.canonicalize(metadata, field: "metadata")
        else { return nil }
        let content = EventHash.content(
            stream: stream, version: version, eventID: eventID, type: type, schemaVersion: schemaVersion,
            canonicalData: data, canonicalMetadata: metadata, occurredAtMicros: occurredAtMicros)
        return EventHash.hash(previous: previousHash, content: content, recordedAtMicros: recordedAtMicros)
    }
}

/// Something the audit found that the application did not write.
public struct AuditFinding: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        case edited, inserted, removed, reordered
        /// A seal itself does not match its recorded heads or chain.
        case sealBroken = "seal-broken"
    }

    public var kind: Kind
    public var stream: String
    public var version: Int
    public var detail: String

    public init(kind: Kind, stream: String, version: Int, detail: String) {
        self.kind = kind
        self.stream = stream
        self.version = version
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(stream) version \(version): \(detail)" }
}

/// Checks one stream's hash chain.
///
/// Each record is checked twice: against itself (does its content, with its stored previous
/// hash, give its stored hash?) and against its neighbour (does its previous hash name the
/// event before it?). The combination says what happened: content changed in place (edited),
/// a version missing (removed), a record naming an earlier event that is not its neighbour
/// (reordered), or a record that belongs to no chain at all (inserted).
public enum ChainAudit {
    public static func verify(stream records: [AuditRecord]) -> [AuditFinding] {
        guard let first = records.first else { return [] }
        let name = first.stream.rawValue
        let known = Set(records.map(\.hash))
        var findings: [AuditFinding] = []
        var expectedVersion = 1
        var previous: AuditRecord?
        for record in records {
            var gap = false
            if record.version > expectedVersion {
                gap = true
                let missing =
                    expectedVersion == record.version - 1
                    ? "version \(expectedVersion) is missing" : "versions \(expectedVersion)–\(record.version - 1) are missing"
                findings.append(AuditFinding(kind: .removed, stream: name, version: expectedVersion, detail: missing))
            }
            let selfConsistent = record.recomputedHash() == record.hash
            let linked = record.previousHash == (previous?.hash ?? EventHash.genesis)
            if linked || gap {
                if !selfConsistent {
                    findings.append(
                        AuditFinding(kind: .edited, stream: name, version: record.version, detail: "content does not match its hash"))
                }
            } else if known.contains(record.previousHash) || record.previousHash == EventHash.genesis {
                findings.append(
                    AuditFinding(
                        kind: .reordered, stream: name, version: record.version,
                        detail: "chains from another event of the stream, not from version \(record.version - 1)"))
            } else if selfConsistent, let previous {
                findings.append(
                    AuditFinding(
                        kind: .edited, stream: name, version: previous.version,
                        detail: "rewritten with a new hash; version \(record.version) still names the original"))
            } else {
                findings.append(
                    AuditFinding(
                        kind: .inserted, stream: name, version: record.version,
                        detail: "not part of the stream's chain"))
            }
            previous = record
            expectedVersion = record.version + 1
        }
        return findings
    }
}

/// A seal: a digest over the heads (last version and hash) of every stream, chained to the
/// seal before it. Publishing a seal's hash outside the database anchors everything before it.
public enum SealHash {
    public struct Head: Hashable, Sendable, Codable {
        public var stream: String
        public var version: Int
        public var hash: [UInt8]
        public init(stream: String, version: Int, hash: [UInt8]) {
            self.stream = stream
            self.version = version
            self.hash = hash
        }
    }

    /// SHA-256 over the heads sorted by stream name.
    public static func digest(heads: [Head]) -> [UInt8] {
        var bytes: [UInt8] = Array("muster.seal.v1".utf8)
        for head in heads.sorted(by: { $0.stream < $1.stream }) {
            let name = Array(head.stream.utf8)
            withUnsafeBytes(of: UInt32(name.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: name)
            withUnsafeBytes(of: Int64(head.version).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: head.hash)
        }
        return EventHash.sha256(bytes)
    }

    /// The seal's own hash, chaining the previous seal.
    public static func chain(
        previous: [UInt8], digest: [UInt8], sealedAtMicros: Int64, snapshot: String, eventCount: Int64
    ) -> [UInt8] {
        var bytes = previous + digest
        withUnsafeBytes(of: sealedAtMicros.bigEndian) { bytes.append(contentsOf: $0) }
        bytes += Array(snapshot.utf8)
        withUnsafeBytes(of: eventCount.bigEndian) { bytes.append(contentsOf: $0) }
        return EventHash.sha256(bytes)
    }

    /// Compares the latest seal's heads with the streams as they are now.
    ///
    /// - Parameters:
    ///   - current: each stream's current head.
    ///   - missedBySeal: records above their stream's sealed head (or in a stream the seal does
    ///     not know) whose writing transaction was visible in the seal's snapshot: they claim to
    ///     predate the seal, yet the seal never saw them.
    public static func compare(
        sealed: [Head], current: [String: Head], missedBySeal: [(stream: String, version: Int)]
    ) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for head in sealed {
            guard let now = current[head.stream], now.version >= head.version else {
                let have = current[head.stream]?.version ?? 0
                findings.append(
                    AuditFinding(
                        kind: .removed, stream: head.stream, version: have + 1,
                        detail: "the last seal saw version \(head.version) but the stream ends at \(have)"))
                continue
            }
            if now.version == head.version && now.hash != head.hash {
                findings.append(
                    AuditFinding(kind: .edited, stream: head.stream, version: head.version, detail: "differs from the sealed head"))
            }
        }
        for record in missedBySeal {
            findings.append(
                AuditFinding(
                    kind: .inserted, stream: record.stream, version: record.version,
                    detail: "recorded before the last seal, which does not include it"))
        }
        return findings
    }
}
