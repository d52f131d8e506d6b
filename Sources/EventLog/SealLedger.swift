/// One stored seal, as the auditor reads it back.
public struct SealRecord: Sendable {
    public var id: Int64
    /// 1: the first seals (a snapshot, every head); 2: a horizon, the heads that changed, signed.
    public var format: Int
    public var sealedAtMicros: Int64
    /// Format 1: the `pg_snapshot` text the seal was taken on.
    public var snapshot: String
    /// Format 2: every event with a transaction below this (in the log's space) is covered.
    public var horizon: UInt64?
    public var streamCount: Int64
    public var eventCount: Int64
    public var headsDigest: [UInt8]
    public var previousHash: [UInt8]
    public var hash: [UInt8]
    public var signature: [UInt8]?
    public var keyID: String?
    /// The heads this seal records: every head (format 1) or those that moved since the seal
    /// before (format 2). Folding them in order gives every head the seal covers.
    public var heads: [SealHash.Head]

    public init(
        id: Int64, format: Int, sealedAtMicros: Int64, snapshot: String, horizon: UInt64?, streamCount: Int64, eventCount: Int64,
        headsDigest: [UInt8], previousHash: [UInt8], hash: [UInt8], signature: [UInt8]?, keyID: String?, heads: [SealHash.Head]
    ) {
        self.id = id
        self.format = format
        self.sealedAtMicros = sealedAtMicros
        self.snapshot = snapshot
        self.horizon = horizon
        self.streamCount = streamCount
        self.eventCount = eventCount
        self.headsDigest = headsDigest
        self.previousHash = previousHash
        self.hash = hash
        self.signature = signature
        self.keyID = keyID
        self.heads = heads
    }
}

/// Every seal of the log, checked as a whole: each chains from the one before, matches the
/// heads it recorded and, given the public key, carries a valid signature; and every head any
/// seal ever recorded must still stand at its sealed version with its sealed hash, even after
/// the stream grew. Pure: the store reads the rows, this judges them.
public struct SealLedger: Sendable {
    public let seals: [SealRecord]
    /// Per stream, each head a seal recorded: (index in `seals`, version, hash), in seal order.
    let sealedHeads: [String: [(seal: Int, version: Int, hash: [UInt8])]]
    /// Indices of the format-2 seals and their horizons, in seal order (horizons never fall).
    let horizons: [(seal: Int, horizon: UInt64)]

    public init(_ seals: [SealRecord]) {
        self.seals = seals.sorted { $0.id < $1.id }
        var heads: [String: [(seal: Int, version: Int, hash: [UInt8])]] = [:]
        for (index, seal) in self.seals.enumerated() {
            for head in seal.heads { heads[head.stream, default: []].append((index, head.version, head.hash)) }
        }
        sealedHeads = heads
        horizons = self.seals.enumerated().compactMap { index, seal in seal.horizon.map { (index, $0) } }
    }

    public var latest: SealRecord? { seals.last }

    /// Chain, digests, signatures, and the seal published outside the database.
    public func chainFindings(verifyingKey: SealVerifyingKey?, expectedSeal: [UInt8]?) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        var previous = EventHash.genesis
        var covered: [String: SealHash.Head] = [:]
        for seal in seals {
            for head in seal.heads { covered[head.stream] = head }
            func broken(_ detail: String) {
                findings.append(AuditFinding(kind: .sealBroken, stream: "seal", version: Int(seal.id), detail: "seal \(seal.id) \(detail)"))
            }
            if seal.previousHash != previous { broken("does not chain from the seal before it") }
            if SealHash.digest(heads: Array(covered.values)) != seal.headsDigest { broken("does not match the heads it recorded") }
            let expected: [UInt8] =
                seal.format == 2
                ? SealHash.chainV2(
                    previous: seal.previousHash, digest: seal.headsDigest, sealedAtMicros: seal.sealedAtMicros, horizon: seal.horizon ?? 0,
                    streamCount: seal.streamCount, eventCount: seal.eventCount)
                : SealHash.chain(
                    previous: seal.previousHash, digest: seal.headsDigest, sealedAtMicros: seal.sealedAtMicros, snapshot: seal.snapshot,
                    eventCount: seal.eventCount)
            if expected != seal.hash { broken("does not match its own hash") }
            if let verifyingKey {
                if let signature = seal.signature {
                    if !verifyingKey.isValidSignature(signature, for: seal.hash) {
                        broken(seal.keyID == verifyingKey.id ? "has a signature that does not verify" : "is not signed by key \(verifyingKey.id)")
                    }
                } else {
                    broken("is not signed")
                }
            }
            previous = seal.hash
        }
        if let expectedSeal, !seals.contains(where: { $0.hash == expectedSeal }) {
            findings.append(
                AuditFinding(
                    kind: .sealMissing, stream: "seal", version: 0,
                    detail: "the published seal \(HexBytes.encode(expectedSeal)) is not in the log's chain of seals"))
        }
        return findings
    }

    /// One stream's records against every head the seals recorded for it, and against the
    /// horizons: a record below a seal's horizon that the seal does not cover was inserted
    /// behind it.
    public func streamFindings(stream: String, records: [AuditRecord]) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        let sealed = sealedHeads[stream] ?? []
        let byVersion = Dictionary(records.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        var reported = Set<Int>()
        for head in sealed where reported.insert(head.version).inserted || byVersion[head.version]?.hash != head.hash {
            let sealID = seals[head.seal].id
            guard let record = byVersion[head.version] else {
                findings.append(
                    AuditFinding(
                        kind: .removed, stream: stream, version: head.version,
                        detail: "seal \(sealID) sealed version \(head.version), which is no longer in the log"))
                continue
            }
            if record.hash != head.hash {
                findings.append(
                    AuditFinding(
                        kind: .edited, stream: stream, version: head.version, detail: "differs from what seal \(sealID) sealed"))
            }
        }
        for record in records {
            guard let transaction = record.transaction, let first = horizons.firstIndex(where: { $0.horizon > transaction }) else { continue }
            let sealIndex = horizons[first].seal
            let coveredVersion = sealed.last { $0.seal <= sealIndex }?.version ?? 0
            if record.version > coveredVersion {
                findings.append(
                    AuditFinding(
                        kind: .inserted, stream: stream, version: record.version,
                        detail: "recorded before seal \(seals[sealIndex].id), which does not include it"))
            }
        }
        return findings
    }

    /// Streams some seal recorded that have no events at all now.
    public func vanishedStreams(present: (String) -> Bool) -> [AuditFinding] {
        sealedHeads.keys.sorted().filter { !present($0) }.map { stream in
            let last = sealedHeads[stream]!.last!
            return AuditFinding(
                kind: .removed, stream: stream, version: 1,
                detail: "the whole stream is gone; seal \(seals[last.seal].id) sealed it at version \(last.version)")
        }
    }
}
