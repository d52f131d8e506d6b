/// Rows in `COPY ... FROM STDIN` text format: fields separated by tabs, rows ended by newlines,
/// `\N` for NULL, and backslash, tab, newline and carriage return escaped inside fields.
public struct PostgresCopyText: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    public init() {}

    public var isEmpty: Bool { bytes.isEmpty }

    /// A text field (or NULL).
    public mutating func text(_ value: String?) {
        separate()
        guard let value else { return bytes.append(contentsOf: [0x5C, 0x4E]) }  // \N
        for byte in value.utf8 { escaped(byte) }
    }

    /// A field written with `description` (numbers, dates), or NULL.
    public mutating func value(_ value: (some CustomStringConvertible)?) { text(value?.description) }

    /// A `text[]` literal: every element double-quoted, `"` and `\` escaped inside it.
    public mutating func array(_ values: [String]) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { escaped(UInt8(ascii: "\\")) }
                escaped(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// A `date[]` (or any array of unquoted values), NULL elements as `NULL`.
    public mutating func array(_ values: [(some CustomStringConvertible)?]) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            for byte in (value?.description ?? "NULL").utf8 { escaped(byte) }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Ends the row.
    public mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
    }

    /// Appends rows encoded elsewhere.
    public mutating func append(_ other: PostgresCopyText) { bytes.append(contentsOf: other.bytes) }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldsInRow = 0
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
    }

    private mutating func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        default: bytes.append(byte)
        }
    }
}
