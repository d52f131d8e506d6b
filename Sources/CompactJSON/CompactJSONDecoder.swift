/// Decodes `Decodable` values from JSON text, several times faster than Foundation's
/// `JSONDecoder` on the small flat objects an event log stores.
///
/// It has no strategies: keys are used as written, dates and data are whatever the type's own
/// `init(from:)` makes of strings and numbers. It is strict (RFC 8259, no duplicate keys, an
/// integer only from integer syntax), so a caller that needs lenient input or Foundation's
/// detailed messages can fall back to `JSONDecoder` when this one throws: whenever both
/// succeed they produce the same value.
public struct CompactJSONDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let tape: JSONTape
        do {
            tape = try JSONTape(bytes: bytes)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try NodeDecoder(tape: Storage(tape), node: 0).decodeValue(type)
    }

    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(type, from: Array(text.utf8))
    }
}

/// The parsed text, shared by every decoder and container of one `decode` call.
final class Storage: Sendable {
    let bytes: [UInt8]
    let nodes: [JSONTape.Node]
    init(_ tape: JSONTape) {
        bytes = tape.bytes
        nodes = tape.nodes
    }
}

/// A `Decoder` positioned on one node of the tape. Two words, so passing it as `any Decoder`
/// allocates nothing; the coding path is worked out from the tape only when asked for
/// (in practice: for an error message).
struct NodeDecoder: Decoder {
    let tape: Storage
    let node: Int
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(tape: Storage, node: Int) {
        self.tape = tape
        self.node = node
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var current = 0
        while current != node {
            let container = tape.nodes[current]
            var child = current + 1
            var found = false
            for index in 0..<container.count {
                let value = container.kind == .object ? child + 1 : child
                if value <= node && node < tape.nodes[value].next {
                    if container.kind == .object {
                        path.append(PathKey(stringValue: JSONTape.text(of: tape.nodes[child], in: tape.bytes) ?? ""))
                    } else {
                        path.append(PathKey(intValue: index))
                    }
                    current = value
                    found = true
                    break
                }
                child = tape.nodes[value].next
            }
            guard found else { break }
        }
        return path
    }

    var kind: JSONTape.Kind { tape.nodes[node].kind }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard kind == .object else { throw mismatch([String: Int].self) }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard kind == .array else { throw mismatch([Int].self) }
        return UnkeyedContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func child(_ node: Int) -> NodeDecoder { NodeDecoder(tape: tape, node: node) }

    func mismatch(_ type: Any.Type) -> DecodingError {
        if kind == .null {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found null"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found JSON \(kind)"))
    }

    // MARK: Values

    /// Decodes the node as `T`, taking the direct path for the standard library's leaf types.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        // Metatype comparisons, then bit casts between identical types: no dynamic casts.
        if T.self == String.self { return unsafeBitCast(try decodeString(), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try decodeInteger(Int.self), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try decodeDouble(), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try decodeBool(), to: T.self) }
        // A dictionary read from an object: member by member, without the boxed containers
        // and run-time casts of the standard library's generic path (a DOR's ratings).
        if kind == .object, let dictionary = T.self as? any ObjectDecodableDictionary.Type {
            return try dictionary.decodeMembers(of: self, as: T.self)
        }
        return try T(from: self)
    }

    func decodeString() throws -> String {
        let current = tape.nodes[node]
        guard current.kind == .string || current.kind == .escapedString else { throw mismatch(String.self) }
        guard let text = JSONTape.text(of: current, in: tape.bytes) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "string is not valid UTF-8 or has an invalid escape"))
        }
        return text
    }

    func decodeBool() throws -> Bool {
        switch kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self)
        }
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let current = tape.nodes[node]
        guard current.kind == .integer else { throw mismatch(type) }
        var offset = current.start
        let negative = tape.bytes[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        var magnitude: UInt64 = 0
        while offset < current.end {
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(tape.bytes[offset] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw outOfRange(type) }
            magnitude = sum
            offset += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw outOfRange(type) }
            let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            guard let exact = T(exactly: value) else { throw outOfRange(type) }
            return exact
        }
        guard let exact = T(exactly: magnitude) else { throw outOfRange(type) }
        return exact
    }

    func outOfRange(_ type: Any.Type) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: "number does not fit in \(type)"))
    }

    func decodeDouble() throws -> Double {
        let current = tape.nodes[node]
        guard current.kind == .integer || current.kind == .number else { throw mismatch(Double.self) }
        let text = String(decoding: tape.bytes[current.start..<current.end], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw outOfRange(Double.self) }
        return value
    }
}

extension NodeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decodeBool() }
    func decode(_ type: String.Type) throws -> String { try decodeString() }
    func decode(_ type: Double.Type) throws -> Double { try decodeDouble() }
    func decode(_ type: Float.Type) throws -> Float {
        let value = Float(try decodeDouble())
        guard value.isFinite else { throw outOfRange(type) }
        return value
    }
    func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

/// A key of a coding path worked out from the tape.
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(stringValue: String, intValue: Int?) {
        self.stringValue = stringValue
        self.intValue = intValue
    }
    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

/// A dictionary whose keys a JSON object's member names can make: what the standard library
/// decodes from a keyed container (`String`, `Int` and `CodingKeyRepresentable` keys).
protocol ObjectDecodableDictionary {
    static func decodeMembers<Wanted>(of decoder: NodeDecoder, as wanted: Wanted.Type) throws -> Wanted
}

extension Dictionary: ObjectDecodableDictionary where Key: CodingKeyRepresentable, Value: Decodable {
    /// The same keys, values and failures as `Dictionary.init(from:)`: a key is made from the
    /// member's name (an `Int` key from its digits), each value decoded as `Value`.
    static func decodeMembers<Wanted>(of decoder: NodeDecoder, as wanted: Wanted.Type) throws -> Wanted {
        let tape = decoder.tape
        let count = tape.nodes[decoder.node].count
        var result: [Key: Value] = [:]
        result.reserveCapacity(count)
        var child = decoder.node + 1
        for _ in 0..<count {
            let name = JSONTape.text(of: tape.nodes[child], in: tape.bytes) ?? ""
            let codingKey = PathKey(stringValue: name, intValue: Int(name))
            guard let key = Key(codingKey: codingKey) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath + [codingKey], debugDescription: "\"\(name)\" is not a key of \(Key.self)"))
            }
            result[key] = try decoder.child(child + 1).decodeValue(Value.self)
            child = tape.nodes[child + 1].next
        }
        return unsafeBitCast(result, to: Wanted.self)
    }
}
