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
    /// 1: hashed by the writer over canonical JSON (before `0004_trust.sql`); 2: hashed by the
    /// database over the stored text; 3: format 2 and the agency (`docs/HASH-CHAIN.md`).
    public var hashFormat: Int
    /// The row's agency (format 3 hashes it).
    public var agency: String?
    /// The writing transaction in the log's own space, when the store keeps one.
    public var transaction: UInt64?

    public init(
        stream: StreamID, version: Int, eventID: UUID, type: String, schemaVersion: Int, data: String, metadata: String,
        occurredAtMicros: Int64, recordedAtMicros: Int64, previousHash: [UInt8], hash: [UInt8], hashFormat: Int = 1,
        transaction: UInt64? = nil, agency: String? = nil
    ) {
        self.agency = agency
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
        self.hashFormat = hashFormat
        self.transaction = transaction
    }

    /// The hash this record should carry given its own stored previous hash.
    func recomputedHash() -> [UInt8]? {
        if hashFormat == 2 || hashFormat == 3 {
            let content = EventHash.contentV2(
                stream: stream.rawValue, version: version, eventID: eventID, type: type, schemaVersion: schemaVersion, dataText: data,
                metadataText: metadata, occurredAtMicros: occurredAtMicros)
            if hashFormat == 3 {
                guard let agency else { return nil }
                return EventHash.hash(previous: previousHash, content: content, recordedAtMicros: recordedAtMicros, agency: agency)
            }
            return EventHash.hash(previous: previousHash, content: content, recordedAtMicros: recordedAtMicros)
        }
        guard hashFormat == 1, let data = try? CanonicalJSON.canonicalize(data, field: "data"),
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
        /// A seal itself does not match its recorded heads or chain, or its signature.
        case sealBroken = "seal-broken"
        /// A seal hash published outside the database is not in the log's chain of seals.
        case sealMissing = "seal-missing"
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
}

extension SealHash {
    /// Format 2: the seal's own hash over its chain link, the digest of every sealed head, when
    /// it was taken, the horizon it covers (in the log's transaction space) and its counts.
    public static func chainV2(
        previous: [UInt8], digest: [UInt8], sealedAtMicros: Int64, horizon: UInt64, streamCount: Int64, eventCount: Int64
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        let tag = Array("muster.seal.v2".utf8)
        withUnsafeBytes(of: UInt32(tag.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes += tag + previous + digest
        for value in [sealedAtMicros, Int64(bitPattern: horizon), streamCount, eventCount] {
            withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        }
        return EventHash.sha256(bytes)
    }
}
