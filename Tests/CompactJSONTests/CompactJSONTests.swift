import CompactJSON
import Foundation
import Testing
import TrainingDomain

/// Any JSON value, with every number read as a Double (so both decoders read numbers alike).
indirect enum AnyJSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            var object: [String: AnyJSON] = [:]
            for key in container.allKeys { object[key.stringValue] = try container.decode(AnyJSON.self, forKey: key) }
            self = .object(object)
        } else if var container = try? decoder.unkeyedContainer() {
            var array: [AnyJSON] = []
            while !container.isAtEnd { array.append(try container.decode(AnyJSON.self)) }
            self = .array(array)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? value.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try value.decode(String.self))
            }
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Random JSON text, written by hand so it exercises escapes, whitespace and number forms
/// that an encoder would never produce.
func randomJSON(_ g: inout SeededGenerator, depth: Int = 0) -> String {
    let space = [" ", "", "\n", "\t", "  "].randomElement(using: &g)!
    switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &g) {
    case 0: return "null"
    case 1: return Bool.random(using: &g) ? "true" : "false"
    case 2:
        let forms = ["0", "-0", "12", "-7", "3.25", "1e3", "2.5E-2", "-0.0001", "123456789012", "6.02e+23", "9007199254740993"]
        return forms.randomElement(using: &g)!
    case 3, 4:
        let pieces = ["a", "Ω", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "\\t", " ", "key", "\\u0000", "é"]
        return "\"" + (0..<Int.random(in: 0...4, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined() + "\""
    case 5:
        let items = (0..<Int.random(in: 0...4, using: &g)).map { _ in randomJSON(&g, depth: depth + 1) }
        return "[" + space + items.joined(separator: "," + space) + space + "]"
    default:
        var keys = Set<String>()
        let members = (0..<Int.random(in: 0...4, using: &g)).compactMap { index -> String? in
            let key = ["id", "name", "é", "k\(index)", "a\\u0062"].randomElement(using: &g)!
            guard keys.insert(key == "a\\u0062" ? "ab" : key).inserted else { return nil }
            return "\"\(key)\"" + space + ":" + space + randomJSON(&g, depth: depth + 1)
        }
        return "{" + space + members.joined(separator: "," + space) + space + "}"
    }
}

@Suite struct CompactJSONTests {
    let compact = CompactJSONDecoder()

    @Test(
        "valid JSON reads as Foundation reads it",
        arguments: [
            #"{"a": 1, "b": [true, false, null], "c": {"d": "e"}}"#,
            #"[1, -2.5, 3e2, "x\ny", "\u00e9\ud83d\ude00"]"#,
            #"  "just a string"  "#, "0", "-0.0", "null", #"{}"#, "[]", #"{"empty":""}"#, #"["\/\b\f\r\t\\\""]"#,
        ])
    func readsLikeFoundation(text: String) throws {
        #expect(try compact.decode(AnyJSON.self, from: text) == (try JSONDecoder().decode(AnyJSON.self, from: Data(text.utf8))))
    }

    @Test(
        "invalid or ambiguous JSON is refused",
        arguments: [
            "", "{", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "-", "1e", "tru", "nul", #"{"a" 1}"#, #"{a:1}"#, #"["\x"]"#,
            "\"tab\there\"", #""\ud800""#, #""\udc00x""#, #""\u12G4""#, "[1] 2", #"{"a":1,"a":2}"#, #"{"ab":1,"a\u0062":2}"#,
            String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        ])
    func refuses(text: String) {
        #expect(throws: DecodingError.self) { try compact.decode(AnyJSON.self, from: text) }
    }

    @Test("invalid UTF-8 in a string is refused")
    func invalidUTF8() {
        #expect(throws: DecodingError.self) { try compact.decode(String.self, from: [0x22, 0xC3, 0x28, 0x22]) }
    }

    struct Sample: Codable, Equatable {
        enum Kind: String, Codable { case one, two }
        var int: Int
        var int8: Int8
        var uint16: UInt16
        var int64: Int64
        var double: Double
        var float: Float
        var text: String
        var flag: Bool
        var kind: Kind
        var optional: String?
        var missing: Int?
        var list: [Int]
        var nested: [String: [Double]]
    }

    @Test("a Codable type with every kind of field decodes as Foundation decodes it")
    func codableFields() throws {
        let sample = Sample(
            int: -42, int8: 127, uint16: 65535, int64: .min, double: 0.1, float: 1.5, text: "a \"quoted\" Ω", flag: true, kind: .two,
            optional: nil, missing: nil, list: [1, 2, 3], nested: ["x": [1.25, -2], "y": []])
        let data = try JSONEncoder().encode(sample)
        #expect(try compact.decode(Sample.self, from: Array(data)) == sample)
        #expect(try compact.decode(Sample.self, from: Array(data)) == (try JSONDecoder().decode(Sample.self, from: data)))
    }

    @Test("errors name the problem: missing key, null, wrong type, out of range, fraction for an integer")
    func errors() {
        struct One: Decodable { var value: Int8 }
        for text in [#"{}"#, #"{"value":null}"#, #"{"value":"1"}"#, #"{"value":128}"#, #"{"value":1.5}"#, #"{"value":1.0}"#] {
            #expect(throws: DecodingError.self, "\(text)") { try compact.decode(One.self, from: text) }
        }
        do {
            _ = try compact.decode(One.self, from: #"{}"#)
        } catch DecodingError.keyNotFound(let key, _) {
            #expect(key.stringValue == "value")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("dictionaries read from objects (the direct path) equal Foundation's, for String, Int and CodingKeyRepresentable keys")
    func dictionaries() throws {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            var ratings: [Category: Rating] = [:]
            var byNumber: [Int: String] = [:]
            for _ in 0..<Int.random(in: 0..<20, using: &g) {
                let category = Category("c\(Int.random(in: 0..<40, using: &g))")
                ratings[category] = [.score(Int.random(in: -3...9, using: &g)), .notObserved, .notRespondingToTraining].randomElement(using: &g)!
                byNumber[Int.random(in: -1000...1000, using: &g)] = "v\(Int.random(in: 0..<9, using: &g))"
            }
            let sheet = ["ratings": ratings]
            let data = try JSONEncoder().encode(sheet)
            #expect(try compact.decode([String: [Category: Rating]].self, from: Array(data)) == sheet)
            let numbers = try JSONEncoder().encode(byNumber)
            #expect(try compact.decode([Int: String].self, from: Array(numbers)) == byNumber)
            #expect(try compact.decode([Int: String].self, from: Array(numbers)) == (try JSONDecoder().decode([Int: String].self, from: numbers)))
        }
        // The same refusals: a key that is not an Int, a value of the wrong type, an array for an object.
        for text in [#"{"x":"a"}"#, #"{"1":2}"#, #"["1","a"]"#] {
            #expect(throws: DecodingError.self, "\(text)") { try compact.decode([Int: String].self, from: text) }
            #expect(throws: DecodingError.self, "\(text)") { try JSONDecoder().decode([Int: String].self, from: Data(text.utf8)) }
        }
        #expect(throws: DecodingError.self) { try compact.decode([Category: Rating].self, from: #"{"a":true}"#) }
    }

    @Test("random JSON texts: whatever the compact decoder accepts, Foundation reads the same")
    func randomTexts() throws {
        var g = SeededGenerator(seed: 7)
        var accepted = 0
        for _ in 0..<2000 {
            var text = Array(randomJSON(&g).utf8)
            // A third of the texts get one byte changed, to probe the edges of the grammar.
            if Int.random(in: 0..<3, using: &g) == 0, !text.isEmpty {
                text[Int.random(in: 0..<text.count, using: &g)] = Array(#"{}[],:"\ 0-.eE"#.utf8).randomElement(using: &g)!
            }
            guard let ours = try? compact.decode(AnyJSON.self, from: text) else { continue }
            accepted += 1
            let foundation = Result { try JSONDecoder().decode(AnyJSON.self, from: Data(text)) }
            #expect((try? foundation.get()) == ours, "\(String(decoding: text, as: UTF8.self)): Foundation \(foundation)")
        }
        // The generator must actually reach the decoder, or this test proves nothing.
        #expect(accepted > 1400)
    }
}

@Suite struct JSONTreeTests {
    @Test("a tree of every kind of value, nested")
    func everyKind() throws {
        let tree = try JSONTree(parsing: Array(#"{"a": [1, 2.5, -3e2], "b": {"c": null, "d": true, "e": false}, "f": "x\u00e9\n"}"#.utf8))
        #expect(
            tree
                == .object([
                    "a": .array([.number(1), .number(2.5), .number(-300)]), "b": .object(["c": .null, "d": .bool(true), "e": .bool(false)]),
                    "f": .string("xé\n"),
                ]))
    }

    @Test("what is not exactly one JSON value is refused, with where and why")
    func refusals() {
        for text in [#"{"a": 1, "a": 2}"#, "{", "[1,]", "1e999", "[1] [2]", "'a'", "", #"{"a": tru}"#] {
            #expect(throws: JSONTree.Invalid.self, "\(text)") { try JSONTree(parsing: Array(text.utf8)) }
        }
    }
}
