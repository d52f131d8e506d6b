/// The binary COPY format (`COPY ... TO STDOUT WITH (FORMAT binary)`): a header, then one
/// tuple per message (a 16-bit field count, then each field as a 32-bit length and its bytes,
/// -1 for NULL), then a trailer (a field count of -1). Fields arrive in each type's binary
/// send format: text as UTF-8, integers big-endian.
public enum PostgresBinaryCopy {
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    /// Splits `copyOut` chunks (one message each) into tuples.
    public struct Stream: Sendable {
        private var sawHeader = false
        public private(set) var finished = false

        public init() {}

        /// The tuple in `chunk` (from its field count on), or `nil` for the trailer.
        public mutating func tuple(in chunk: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
            var body = chunk
            if !sawHeader {
                let fixed = Self.headerLength
                guard chunk.count >= fixed, chunk.prefix(signature.count).elementsEqual(signature) else {
                    throw PostgresError(code: .unexpectedResult, message: "binary COPY data does not start with the PGCOPY signature")
                }
                let extensionLength = Int(Reader.int32(chunk, at: fixed - 4))
                guard extensionLength >= 0, chunk.count >= fixed + extensionLength else {
                    throw PostgresError(code: .unexpectedResult, message: "binary COPY header is cut short")
                }
                body = UnsafeRawBufferPointer(rebasing: chunk[(fixed + extensionLength)...])
                sawHeader = true
            }
            guard !finished, body.count >= 2 else {
                throw PostgresError(code: .unexpectedResult, message: "binary COPY message after the trailer, or empty")
            }
            if Reader.int16(body, at: 0) == -1 {
                finished = true
                return nil
            }
            return body
        }

        static var headerLength: Int { signature.count + 8 }
    }

    /// Reads one tuple's fields in order.
    public struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 2
        public let count: Int

        public init(_ tuple: UnsafeRawBufferPointer) throws {
            guard tuple.count >= 2 else { throw PostgresError(code: .unexpectedResult, message: "binary COPY tuple is cut short") }
            bytes = tuple
            count = Int(Self.int16(tuple, at: 0))
        }

        /// The next field's bytes; `nil` for NULL.
        public mutating func next() throws -> UnsafeRawBufferPointer? {
            guard offset + 4 <= bytes.count else { throw PostgresError(code: .unexpectedResult, message: "binary COPY tuple is cut short") }
            let length = Int(Self.int32(bytes, at: offset))
            offset += 4
            if length < 0 { return nil }
            guard offset + length <= bytes.count else { throw PostgresError(code: .unexpectedResult, message: "binary COPY field is cut short") }
            defer { offset += length }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        }

        /// The next field as text (any text-like type: text, varchar, name; `::text` casts).
        public mutating func text() throws -> String? {
            guard let field = try next() else { return nil }
            return String(decoding: field, as: UTF8.self)
        }

        /// The next field as a 64-bit integer (int8, xid8).
        public mutating func int64() throws -> Int64? {
            guard let field = try next() else { return nil }
            guard field.count == 8 else { throw PostgresError(code: .unexpectedResult, message: "binary COPY field is not 8 bytes") }
            return Self.int64(field, at: 0)
        }

        /// The next field as a 32-bit integer (int4, date as days since 2000-01-01).
        public mutating func int32() throws -> Int32? {
            guard let field = try next() else { return nil }
            guard field.count == 4 else { throw PostgresError(code: .unexpectedResult, message: "binary COPY field is not 4 bytes") }
            return Self.int32(field, at: 0)
        }

        static func int16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int16 {
            Int16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self))
        }
        static func int32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
            Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self))
        }
        static func int64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
            Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
        }
    }
}
