import EventLog
import Foundation
import Testing

@Suite struct StreamIDTests {
    @Test("accepts category-id names", arguments: ["trainee-8c1f2a", "policy-pasadena", "fto_qual-A.b:c-d", "x1-1"])
    func accepts(name: String) throws {
        let stream = try StreamID(validating: name)
        #expect(stream.rawValue == name)
        #expect(stream.category == String(name.prefix { $0 != "-" }))
    }

    @Test(
        "refuses names that are not category-id",
        arguments: ["", "trainee", "-abc", "Trainee-1", "1abc-2", "trainee-", "trainee-a b", "trainee-é", String(repeating: "a", count: 201) + "-1"])
    func refuses(name: String) {
        let error = #expect(throws: EventLogError.self) { try StreamID(validating: name) }
        #expect(error?.code == .invalidStreamName)
        #expect(error?.description.contains("category-id") == true)
    }

    @Test func expectedVersionAccepts() {
        #expect(ExpectedVersion.any.accepts(current: 7))
        #expect(ExpectedVersion.noStream.accepts(current: 0))
        #expect(!ExpectedVersion.noStream.accepts(current: 1))
        #expect(ExpectedVersion.exact(3).accepts(current: 3))
        #expect(!ExpectedVersion.exact(3).accepts(current: 4))
    }

    @Test("a UUID's lowercase text is what Foundation prints, lowercased")
    func lowercaseUUIDText() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.lowercasedText == id.uuidString.lowercased())
        }
        #expect(UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 254, 255)).lowercasedText == "00010203-0405-0607-0809-0a0b0c0dfeff")
    }
}
