public import Foundation

/// One field of a result row, as libpq returned it. Valid only while its rows are alive:
/// decoders copy what they need.
public struct PostgresCell {
    public let type: UInt32
    public let isBinary: Bool
    public let bytes: UnsafeRawBufferPointer
    public let column: Int

    /// The field as UTF-8 text (text format, or a binary text-like type).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    func mismatch(_ swiftType: Any.Type) -> PostgresError {
        PostgresError(
            code: .decoding,
            message: "column #\(column): cannot decode type OID \(type) (\(isBinary ? "binary" : "text")) as \(swiftType)"
        )
    }

    public func bigEndian<T: FixedWidthInteger>(_: T.Type) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(MemoryLayout<T>.size))) }
        return T(bigEndian: value)
    }
}

/// A Swift value that can be read from a result column.
public protocol PostgresDecodable {
    init(cell: PostgresCell) throws
    /// The value for SQL NULL: an error, except for optionals.
    static func decodeNull(column: String) throws -> Self
}

extension PostgresDecodable {
    public static func decodeNull(column: String) throws -> Self {
        throw PostgresError(code: .decoding, message: "column \(column) is NULL; expected \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(cell: PostgresCell) throws { self = try Wrapped(cell: cell) }
    public static func decodeNull(column: String) throws -> Self { nil }
}

extension String: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        if cell.isBinary && cell.type == PostgresOID.jsonb {
            // Binary jsonb is a version byte (1) followed by the text.
            self = String(decoding: cell.bytes.dropFirst(), as: UTF8.self)
        } else {
            self = cell.text
        }
    }
}

extension Int64: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        guard cell.isBinary else {
            guard let value = Int64(cell.text) else { throw cell.mismatch(Int64.self) }
            self = value
            return
        }
        switch (cell.type, cell.bytes.count) {
        case (PostgresOID.int8, 8), (PostgresOID.xid8, 8): self = cell.bigEndian(Int64.self)
        case (PostgresOID.int4, 4): self = Int64(cell.bigEndian(Int32.self))
        case (PostgresOID.int2, 2): self = Int64(cell.bigEndian(Int16.self))
        default: throw cell.mismatch(Int64.self)
        }
    }
}

extension Int: PostgresDecodable {
    public init(cell: PostgresCell) throws { self = Int(try Int64(cell: cell)) }
}

extension Int32: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        let wide = try Int64(cell: cell)
        guard let narrow = Int32(exactly: wide) else { throw cell.mismatch(Int32.self) }
        self = narrow
    }
}

extension Bool: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        if cell.isBinary, cell.bytes.count == 1 {
            self = cell.bytes[0] != 0
        } else if !cell.isBinary, cell.text == "t" || cell.text == "f" {
            self = cell.text == "t"
        } else {
            throw cell.mismatch(Bool.self)
        }
    }
}

extension UUID: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        if cell.isBinary, cell.bytes.count == 16 {
            self = UUID(uuid: cell.bytes.loadUnaligned(as: uuid_t.self))
        } else if let value = cell.uuidFromText {
            self = value
        } else {
            throw cell.mismatch(UUID.self)
        }
    }
}

extension PostgresCell {
    /// The field read as a UUID in its text form (`8-4-4-4-12` hex digits, either case), or nil
    /// when it is not one. Parsed here rather than by `UUID(uuidString:)`, which goes through
    /// `sscanf` and was an eighth of the time to read a stream.
    public var uuidFromText: UUID? {
        guard bytes.count == 36 else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &uuid) { out -> Bool in
            var offset = 0
            for index in 0..<16 {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    guard bytes[offset] == 0x2d else { return false }
                    offset += 1
                }
                guard let high = Self.hexValue(bytes[offset]), let low = Self.hexValue(bytes[offset + 1]) else { return false }
                out[index] = high << 4 | low
                offset += 2
            }
            return true
        }
        return ok ? UUID(uuid: uuid) : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}

extension Date: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        guard cell.isBinary, cell.type == PostgresOID.timestamptz, cell.bytes.count == 8 else {
            throw cell.mismatch(Date.self)
        }
        self = PostgresTime.date(microsecondsSince2000: cell.bigEndian(Int64.self))
    }
}

extension PostgresBytes: PostgresDecodable {
    /// Results come back in binary format, where `bytea` is the bytes themselves.
    public init(cell: PostgresCell) throws {
        guard cell.isBinary else { throw cell.mismatch(PostgresBytes.self) }
        self.init(Array(cell.bytes))
    }
}

extension PostgresTransactionID: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        if cell.isBinary, cell.bytes.count == 8 {
            self.init(cell.bigEndian(UInt64.self))
        } else if !cell.isBinary, let value = UInt64(cell.text) {
            self.init(value)
        } else {
            throw cell.mismatch(PostgresTransactionID.self)
        }
    }
}

/// A `text[]` column, one-dimensional with no NULL elements (binary array format).
extension PostgresTextArray: PostgresDecodable {
    public init(cell: PostgresCell) throws {
        // Binary array format: ndim, has-null flag, element type, then per dimension (length,
        // lower bound), then each element as length and bytes.
        guard cell.isBinary else { throw PostgresError(code: .decoding, message: "text[] column #\(cell.column) must be binary") }
        let bytes = cell.bytes
        func int32(_ offset: Int) -> Int32 { Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)) }
        guard bytes.count >= 12 else { throw PostgresError(code: .decoding, message: "text[] column #\(cell.column) is cut short") }
        let dimensions = Int(int32(0))
        guard dimensions <= 1 else { throw PostgresError(code: .decoding, message: "text[] column #\(cell.column) has \(dimensions) dimensions") }
        guard dimensions == 1 else {
            self.init([])
            return
        }
        let count = Int(int32(12))
        var offset = 20
        var elements: [String] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            guard offset + 4 <= bytes.count else { throw PostgresError(code: .decoding, message: "text[] column #\(cell.column) is cut short") }
            let length = Int(int32(offset))
            offset += 4
            guard length >= 0, offset + length <= bytes.count else {
                throw PostgresError(code: .decoding, message: "text[] column #\(cell.column) holds a NULL or is cut short")
            }
            elements.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self))
            offset += length
        }
        self.init(elements)
    }
}
