public import Foundation

/// A Swift value that can be sent as a bound parameter.
///
/// Numbers, UUIDs, dates and bytes go in PostgreSQL's binary form (exact, no parsing);
/// strings go as text with an unknown type so the SQL can cast them (`$1::jsonb`).
public protocol PostgresEncodable: Sendable {
    /// The type OID, or 0 to let the server infer it from the statement.
    static var postgresType: UInt32 { get }
    /// 0 for text, 1 for binary.
    static var postgresFormat: Int32 { get }
    func encode(into bytes: inout [UInt8])
}

/// Type OIDs from `pg_type`.
public enum PostgresOID {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let json: UInt32 = 114
    public static let varchar: UInt32 = 1043
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
    public static let jsonb: UInt32 = 3802
    public static let xid8: UInt32 = 5069
    public static let name: UInt32 = 19
    public static let bpchar: UInt32 = 1042
}

extension FixedWidthInteger {
    @inlinable
    func appendBigEndian(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: self.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

extension String: PostgresEncodable {
    public static var postgresType: UInt32 { 0 }
    public static var postgresFormat: Int32 { 0 }
    public func encode(into bytes: inout [UInt8]) { bytes.append(contentsOf: utf8) }
}

extension Int: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresOID.int8 }
    public static var postgresFormat: Int32 { 1 }
    public func encode(into bytes: inout [UInt8]) { Int64(self).appendBigEndian(to: &bytes) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresOID.int8 }
    public static var postgresFormat: Int32 { 1 }
    public func encode(into bytes: inout [UInt8]) { appendBigEndian(to: &bytes) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresOID.int4 }
    public static var postgresFormat: Int32 { 1 }
    public func encode(into bytes: inout [UInt8]) { appendBigEndian(to: &bytes) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresOID.bool }
    public static var postgresFormat: Int32 { 1 }
    public func encode(into bytes: inout [UInt8]) { bytes.append(self ? 1 : 0) }
}

extension UUID: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresOID.uuid }
    public static var postgresFormat: Int32 { 1 }
    public func encode(into bytes: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { bytes.append(contentsOf: $0) }
    }
}

extension Date: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresOID.timestamptz }
    public static var postgresFormat: Int32 { 1 }
    /// PostgreSQL counts microseconds from 2000-01-01 UTC.
    public func encode(into bytes: inout [UInt8]) {
        PostgresTime.microsecondsSince2000(self).appendBigEndian(to: &bytes)
    }
}

/// Bytes sent as `bytea`.
public struct PostgresBytes: PostgresEncodable, Hashable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public static var postgresType: UInt32 { PostgresOID.bytea }
    public static var postgresFormat: Int32 { 1 }
    public func encode(into bytes: inout [UInt8]) { bytes.append(contentsOf: self.bytes) }
}

/// A transaction id (`xid8`), sent in its text form so no binary layout is assumed.
public struct PostgresTransactionID: PostgresEncodable, Hashable, Comparable {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static var postgresType: UInt32 { PostgresOID.xid8 }
    public static var postgresFormat: Int32 { 1 }
    public func encode(into bytes: inout [UInt8]) { rawValue.appendBigEndian(to: &bytes) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Conversions between `Date` and PostgreSQL's microsecond clock.
public enum PostgresTime {
    /// Seconds between 1970-01-01 and 2000-01-01.
    static let epochOffset: Int64 = 946_684_800

    public static func microsecondsSince2000(_ date: Date) -> Int64 {
        microsecondsSince1970(date) - epochOffset * 1_000_000
    }

    public static func microsecondsSince1970(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public static func date(microsecondsSince2000 micros: Int64) -> Date {
        date(microsecondsSince1970: micros + epochOffset * 1_000_000)
    }

    public static func date(microsecondsSince1970 micros: Int64) -> Date {
        let seconds = micros.quotientAndRemainder(dividingBy: 1_000_000)
        return Date(timeIntervalSince1970: Double(seconds.quotient) + Double(seconds.remainder) / 1_000_000)
    }
}

/// A `text[]` value, sent as an array literal with every element quoted and escaped.
public struct PostgresTextArray: PostgresEncodable, Hashable {
    public var elements: [String]
    public init(_ elements: [String]) { self.elements = elements }
    public static var postgresType: UInt32 { 1009 }
    public static var postgresFormat: Int32 { 0 }
    public func encode(into bytes: inout [UInt8]) {
        let quoted = elements.map { element in
            "\"" + element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        bytes.append(contentsOf: ("{" + quoted.joined(separator: ",") + "}").utf8)
    }
}
