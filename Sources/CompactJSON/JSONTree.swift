/// A JSON value as a tree, for input whose shape is only known once read (a request body,
/// checked field by field against what the operation takes). Parsed by the same strict tape as
/// the decoder: RFC 8259 only, no duplicate keys, numbers finite.
public indirect enum JSONTree: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    /// Why a text is not one JSON value.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing bytes: [UInt8]) throws(Invalid) {
        let tape: JSONTape
        do { tape = try JSONTape(bytes: bytes) } catch { throw Invalid(description: error.description) }
        self = try Self.node(0, of: tape)
    }

    private static func node(_ index: Int, of tape: JSONTape) throws(Invalid) -> JSONTree {
        let node = tape.nodes[index]
        switch node.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .integer, .number:
            guard let value = Double(String(decoding: tape.bytes[node.start..<node.end], as: UTF8.self)), value.isFinite else {
                throw Invalid(description: "a number at byte \(node.start) is out of range")
            }
            return .number(value)
        case .string, .escapedString:
            guard let text = JSONTape.text(of: node, in: tape.bytes) else {
                throw Invalid(description: "a string at byte \(node.start) is not valid UTF-8 or has an invalid escape")
            }
            return .string(text)
        case .array:
            var elements: [JSONTree] = []
            elements.reserveCapacity(node.count)
            var child = index + 1
            for _ in 0..<node.count {
                elements.append(try Self.node(child, of: tape))
                child = tape.nodes[child].next
            }
            return .array(elements)
        case .object:
            var members: [String: JSONTree] = [:]
            members.reserveCapacity(node.count)
            var child = index + 1
            for _ in 0..<node.count {
                guard let key = JSONTape.text(of: tape.nodes[child], in: tape.bytes) else {
                    throw Invalid(description: "a member name is not valid UTF-8 or has an invalid escape")
                }
                members[key] = try Self.node(child + 1, of: tape)
                child = tape.nodes[child + 1].next
            }
            return .object(members)
        }
    }
}
