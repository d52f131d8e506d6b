/// A parsed JSON text as a flat array of nodes (a "tape"): one allocation for the structure,
/// strings and numbers left as byte ranges of the input until something asks for them.
///
/// Strict by design: it accepts only RFC 8259 JSON, and refuses duplicate object keys (JSON
/// leaves their meaning open), so whatever it accepts has exactly one reading.
struct JSONTape: Sendable {
    enum Kind: UInt8, Sendable {
        case object, array, string, escapedString, integer, number, `true`, `false`, null
    }

    /// For strings and numbers, `start..<end` is the byte range (strings without quotes).
    /// For objects and arrays, `count` is the number of members or elements; an object's
    /// members follow it as key, value, key, value. `next` is the index after the subtree.
    struct Node: Sendable {
        var kind: Kind
        var start: Int
        var end: Int
        var next: Int
        var count: Int { start }
    }

    let bytes: [UInt8]
    private(set) var nodes: [Node] = []

    struct SyntaxError: Error, Sendable, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    init(bytes: [UInt8]) throws(SyntaxError) {
        self.bytes = bytes
        nodes.reserveCapacity(16)
        var parser = Parser(bytes: bytes)
        try parser.skipWhitespace()
        try parser.value(into: &nodes, depth: 0)
        try parser.skipWhitespace()
        guard parser.offset == bytes.count else { throw SyntaxError(offset: parser.offset, reason: "text after the value") }
    }

    private struct Parser {
        let bytes: [UInt8]
        var offset = 0
        static let maximumDepth = 256

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ reason: String) -> SyntaxError { SyntaxError(offset: offset, reason: reason) }

        mutating func skipWhitespace() throws(SyntaxError) {
            while offset < bytes.count {
                switch bytes[offset] {
                case 0x20, 0x0a, 0x0d, 0x09: offset += 1
                default: return
                }
            }
        }

        mutating func value(into nodes: inout [Node], depth: Int) throws(SyntaxError) {
            guard offset < bytes.count else { throw fail("a value was expected") }
            switch bytes[offset] {
            case UInt8(ascii: "{"): try object(into: &nodes, depth: depth)
            case UInt8(ascii: "["): try array(into: &nodes, depth: depth)
            case UInt8(ascii: "\""): try string(into: &nodes)
            case UInt8(ascii: "t"): try literal("true", .true, into: &nodes)
            case UInt8(ascii: "f"): try literal("false", .false, into: &nodes)
            case UInt8(ascii: "n"): try literal("null", .null, into: &nodes)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(into: &nodes)
            default: throw fail("a value was expected")
            }
        }

        mutating func literal(_ word: StaticString, _ kind: Kind, into nodes: inout [Node]) throws(SyntaxError) {
            let length = word.utf8CodeUnitCount
            guard offset + length <= bytes.count else { throw fail("unknown literal") }
            for index in 0..<length where bytes[offset + index] != word.utf8Start[index] { throw fail("unknown literal") }
            nodes.append(Node(kind: kind, start: offset, end: offset + length, next: nodes.count + 1))
            offset += length
        }

        mutating func object(into nodes: inout [Node], depth: Int) throws(SyntaxError) {
            guard depth < Self.maximumDepth else { throw fail("nested too deeply") }
            let index = nodes.count
            nodes.append(Node(kind: .object, start: 0, end: 0, next: 0))
            offset += 1
            try skipWhitespace()
            var count = 0
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
            } else {
                while true {
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw fail("an object key was expected") }
                    try string(into: &nodes)
                    try skipWhitespace()
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw fail("':' was expected") }
                    offset += 1
                    try skipWhitespace()
                    try value(into: &nodes, depth: depth + 1)
                    count += 1
                    try skipWhitespace()
                    guard offset < bytes.count else { throw fail("'}' was expected") }
                    if bytes[offset] == UInt8(ascii: ",") {
                        offset += 1
                        try skipWhitespace()
                    } else if bytes[offset] == UInt8(ascii: "}") {
                        offset += 1
                        break
                    } else {
                        throw fail("',' or '}' was expected")
                    }
                }
            }
            nodes[index] = Node(kind: .object, start: count, end: offset, next: nodes.count)
            try refuseDuplicateKeys(object: index, in: nodes)
        }

        func refuseDuplicateKeys(object: Int, in nodes: [Node]) throws(SyntaxError) {
            var keys: [Int] = []
            var child = object + 1
            for _ in 0..<nodes[object].count {
                keys.append(child)
                child = nodes[child + 1].next
            }
            guard keys.count > 1 else { return }
            for (position, key) in keys.enumerated() {
                for other in keys[(position + 1)...] where JSONTape.sameKey(nodes[key], nodes[other], bytes) {
                    throw SyntaxError(offset: nodes[other].start, reason: "duplicate object key")
                }
            }
        }

        mutating func array(into nodes: inout [Node], depth: Int) throws(SyntaxError) {
            guard depth < Self.maximumDepth else { throw fail("nested too deeply") }
            let index = nodes.count
            nodes.append(Node(kind: .array, start: 0, end: 0, next: 0))
            offset += 1
            try skipWhitespace()
            var count = 0
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
            } else {
                while true {
                    try value(into: &nodes, depth: depth + 1)
                    count += 1
                    try skipWhitespace()
                    guard offset < bytes.count else { throw fail("']' was expected") }
                    if bytes[offset] == UInt8(ascii: ",") {
                        offset += 1
                        try skipWhitespace()
                    } else if bytes[offset] == UInt8(ascii: "]") {
                        offset += 1
                        break
                    } else {
                        throw fail("',' or ']' was expected")
                    }
                }
            }
            nodes[index] = Node(kind: .array, start: count, end: offset, next: nodes.count)
        }

        mutating func string(into nodes: inout [Node]) throws(SyntaxError) {
            offset += 1
            let start = offset
            var escaped = false
            var ascii = true
            while true {
                guard offset < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { throw fail("control character in a string") }
                if byte >= 0x80 { ascii = false }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    offset += 1
                    guard offset < bytes.count else { throw fail("unterminated escape") }
                }
                offset += 1
            }
            let node = Node(kind: escaped ? .escapedString : .string, start: start, end: offset, next: nodes.count + 1)
            // Every string is checked here, read or not, so a document is accepted whole or not at all.
            if !ascii || escaped, JSONTape.text(of: node, in: bytes) == nil {
                throw SyntaxError(offset: start, reason: "string is not valid UTF-8 or has an invalid escape")
            }
            nodes.append(node)
            offset += 1
        }

        mutating func number(into nodes: inout [Node]) throws(SyntaxError) {
            let start = offset
            var integral = true
            if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail("a digit was expected") }
            if bytes[offset] == UInt8(ascii: "0") {
                offset += 1
            } else {
                while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
                integral = false
                offset += 1
                guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail("a digit was expected after '.'") }
                while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
                integral = false
                offset += 1
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
                guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail("a digit was expected in the exponent") }
                while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
            }
            nodes.append(Node(kind: integral ? .integer : .number, start: start, end: offset, next: nodes.count + 1))
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }

    static func sameKey(_ a: Node, _ b: Node, _ bytes: [UInt8]) -> Bool {
        if a.kind == .string, b.kind == .string {
            return a.end - a.start == b.end - b.start && bytes[a.start..<a.end].elementsEqual(bytes[b.start..<b.end])
        }
        return text(of: a, in: bytes) == text(of: b, in: bytes)
    }

    /// The string a string node stands for; `nil` for invalid UTF-8 or an invalid escape.
    static func text(of node: Node, in bytes: [UInt8]) -> String? {
        if node.kind == .string {
            return bytes.withUnsafeBufferPointer { all in
                let text = UnsafeBufferPointer(rebasing: all[node.start..<node.end])
                // ASCII (nearly every name and id) is valid UTF-8 as it stands, and this path
                // skips the generic validation's run-time type lookups.
                if text.allSatisfy({ $0 < 0x80 }) { return String(decoding: text, as: UTF8.self) }
                return String(validating: text, as: UTF8.self)
            }
        }
        guard node.kind == .escapedString else { return nil }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(node.end - node.start)
        var offset = node.start
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= node.end else { return nil }
            var value: UInt32 = 0
            for byte in bytes[at..<(at + 4)] {
                value <<= 4
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value |= UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value |= UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value |= UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
            }
            return value
        }
        while offset < node.end {
            let byte = bytes[offset]
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                offset += 1
                continue
            }
            let escape = bytes[offset + 1]
            offset += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0c)
            case UInt8(ascii: "n"): decoded.append(0x0a)
            case UInt8(ascii: "r"): decoded.append(0x0d)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                guard var code = hex4(offset) else { return nil }
                offset += 4
                if (0xD800...0xDBFF).contains(code) {
                    guard offset + 6 <= node.end, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u"),
                        let low = hex4(offset + 2), (0xDC00...0xDFFF).contains(low)
                    else { return nil }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    offset += 6
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                decoded.append(contentsOf: String(scalar).utf8)
            default:
                return nil
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }
}
