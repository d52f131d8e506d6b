import Crypto
public import Foundation

/// The tamper-evidence chain: each event's hash is SHA-256 over the previous event's hash in
/// its stream, the event's canonical content bytes and its recorded time.
///
/// `hash = SHA256(previousHash ‖ content ‖ int64BE(recordedAtMicroseconds))`, where the first
/// event of a stream chains from 32 zero bytes. The PostgreSQL store computes the same thing in
/// SQL (`sha256(prev ‖ content ‖ int8send(micros))`) so the recorded time can come from the
/// database's clock inside the insert itself.
public enum EventHash {
    public static let genesis = [UInt8](repeating: 0, count: 32)
    static let domainTag = Array("muster.event.v1".utf8)

    /// The canonical bytes of everything the writer supplies: length-prefixed fields in a fixed
    /// order, so no two different events share bytes.
    public static func content(
        stream: StreamID, version: Int, eventID: UUID, type: String, schemaVersion: Int,
        canonicalData: String, canonicalMetadata: String, occurredAtMicros: Int64
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + canonicalData.utf8.count + canonicalMetadata.utf8.count)
        appendField(domainTag, to: &bytes)
        appendField(Array(stream.rawValue.utf8), to: &bytes)
        appendInteger(Int64(version), to: &bytes)
        withUnsafeBytes(of: eventID.uuid) { appendField(Array($0), to: &bytes) }
        appendField(Array(type.utf8), to: &bytes)
        appendInteger(Int64(schemaVersion), to: &bytes)
        appendField(Array(canonicalData.utf8), to: &bytes)
        appendField(Array(canonicalMetadata.utf8), to: &bytes)
        appendInteger(occurredAtMicros, to: &bytes)
        return bytes
    }

    /// Format 2, what the database computes on every insert (`docs/HASH-CHAIN.md`): the same
    /// idea over the stored columns as PostgreSQL writes them, so an export is enough to
    /// recompute it. `dataText` and `metadataText` are the `jsonb` values' text output.
    public static func contentV2(
        stream: String, version: Int, eventID: UUID, type: String, schemaVersion: Int, dataText: String, metadataText: String,
        occurredAtMicros: Int64
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + dataText.utf8.count + metadataText.utf8.count)
        appendField(Array("muster.event.v2".utf8), to: &bytes)
        appendField(Array(stream.utf8), to: &bytes)
        appendInteger(Int64(version), to: &bytes)
        withUnsafeBytes(of: eventID.uuid) { bytes.append(contentsOf: $0) }
        appendField(Array(type.utf8), to: &bytes)
        appendInteger(Int64(schemaVersion), to: &bytes)
        appendField(Array(dataText.utf8), to: &bytes)
        appendField(Array(metadataText.utf8), to: &bytes)
        appendInteger(occurredAtMicros, to: &bytes)
        return bytes
    }

    /// - Parameter agency: format 3's last field, the row's agency (length-prefixed); `nil` for
    ///   formats 1 and 2.
    public static func hash(previous: [UInt8], content: [UInt8], recordedAtMicros: Int64, agency: String? = nil) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: content)
        withUnsafeBytes(of: recordedAtMicros.bigEndian) { hasher.update(bufferPointer: $0) }
        if let agency {
            let bytes = Array(agency.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        return Array(hasher.finalize())
    }

    /// SHA-256 of arbitrary bytes (seals, migration checksums).
    public static func sha256(_ bytes: some DataProtocol) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    private static func appendField(_ field: [UInt8], to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(field.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: field)
    }

    private static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Microsecond clock values, the precision PostgreSQL stores.
public enum Microseconds {
    public static func since1970(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public static func date(_ micros: Int64) -> Date {
        let split = micros.quotientAndRemainder(dividingBy: 1_000_000)
        return Date(timeIntervalSince1970: Double(split.quotient) + Double(split.remainder) / 1_000_000)
    }

    /// `date` rounded to whole microseconds, so it survives a trip through the database.
    public static func truncate(_ date: Date) -> Date { Self.date(since1970(date)) }
}
