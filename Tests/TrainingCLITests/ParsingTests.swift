import ArgumentParser
import Foundation
import Testing
import TrainingDomain

@testable import TrainingCLI

/// The command line's own input rules: values parse as the domain's types, numbers are bounded,
/// ratings files go through real parsers, and stored text prints safely.
@Suite struct ParsingTests {
    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try Muster.parseAsRoot(arguments)
            return nil
        } catch {
            return Muster.message(for: error)
        }
    }

    @Test(
        "numbers a user types are bounded, with their own message, and never trap",
        arguments: [
            (["readiness", "--within", "2147483648d"], "at most 36500 days"),
            (["expiring", "--within", "3000000000d"], "at most 36500 days"),
            (["forecast", "--openings", "9223372036854775807"], "1 to 100000"),
            (["forecast", "--openings", "9223372036854775808"], "must be a whole number"),
            (["readiness", "--within", "-5d"], "must not be negative"),
            (["expiring", "--limit", "-3"], "must not be negative"),
            (["expiring", "--within", "soon"], "number of days"),
            (["ft", "extend-phase", "t-1", "--phase", "1", "--weeks", "-2", "--reason", "x"], "must not be negative"),
        ])
    func bounded(_ arguments: [String], _ words: String) {
        let message = Self.refusal(arguments)
        #expect(message?.contains(words) == true, "\(arguments): \(message ?? "accepted")")
    }

    @Test("days, roles, separation kinds, review outcomes and ids parse as the domain's own values")
    func domainValues() throws {
        #expect(Day(argument: "2026-02-29") == nil)
        #expect(Day(argument: "2028-02-29") == Day("2028-02-29"))
        #expect(Role(argument: "training_sergeant") == .trainingSergeant)
        #expect(Role(argument: "sergeant") == nil)
        #expect(SeparationKind(argument: "failed_academy") == .failedAcademy)
        #expect(ReviewOutcome(argument: "needs_improvement") == .needsImprovement)
        #expect(TraineeID(argument: "r-16") == TraineeID("r-16"))
        #expect(TraineeID(argument: "../../etc/passwd") == nil)
        #expect(Self.refusal(["separate", "t-1", "--kind", "fired", "--reason", "x"])?.contains("fired") == true)
        #expect(Self.refusal(["status", "t-1", "--as-of", "2026-13-01"])?.contains("2026-13-01") == true)
    }

    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test("a CSV ratings file as Excel writes it: byte-order mark, CRLF, quoted fields")
    func csvFromExcel() throws {
        let text = "category,rating\r\n\"report_writing\",4\r\nradio_use,\"N/O\"\r\n"
        let path = try Self.file("ratings.csv", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let ratings = try RatingsInput.parse([], file: path)
        #expect(ratings == ["report_writing": .score(4), "radio_use": .notObserved])
    }

    @Test(
        "a bad ratings file is refused whole, naming the line or the rule",
        arguments: [
            ("bad.csv", "category,rating\nreport_writing,4\nofficer_safety,\"5\n", "never closed"),
            ("bad.csv", "category,rating\nreport_writing,4,extra\n", "line 2: expected category,rating but found 3 fields"),
            ("bad.csv", "category,rating\nreport_writing,9x\n", "line 2: rating \"9x\""),
            ("bad.csv", "cat,score\nreport_writing,4\n", "header category,rating"),
            ("bad.json", #"{"report_writing": true}"#, "a number 1–7"),
            ("bad.json", #"{"report_writing": 4.5}"#, "a number 1–7"),
            ("bad.json", #"{"report_writing": 4, "report_writing": 5}"#, "no category twice"),
            ("bad.json", #"[["report_writing", 4]]"#, "one JSON object"),
        ])
    func refusedFiles(_ name: String, _ text: String, _ words: String) throws {
        let path = try Self.file(name, Array(text.utf8))
        let error = #expect(throws: UserError.self) { try RatingsInput.parse([], file: path) }
        #expect(error?.description.contains(words) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("DecodingError") == false)
    }

    @Test("a JSON ratings file of numbers and marks is read as written")
    func jsonRatings() throws {
        let path = try Self.file("ratings.json", Array(#"{"report_writing": 4, "radio_use": "NRT"}"#.utf8))
        #expect(try RatingsInput.parse([], file: path) == ["report_writing": .score(4), "radio_use": .notRespondingToTraining])
    }

    @Test("stored text with terminal controls prints as visible escapes; plain text is untouched")
    func safeText() {
        #expect(Output.safe("Dana Whitfield") == "Dana Whitfield")
        #expect(Output.safe("Dana\u{1B}[2J\u{1B}[HWhitfield") == "Dana\\u{1B}[2J\\u{1B}[HWhitfield")
        #expect(Output.safe("a\u{202E}b\u{9B}c\u{7F}") == "a\\u{202E}b\\u{9B}c\\u{7F}")
        let name = "Mal\u{1B}]0;owned\u{07}lory"
        let line: SafeLine = "hired \(name) as trainee t-1"
        #expect(line.text == "hired Mal\\u{1B}]0;owned\\u{7}lory as trainee t-1")
    }
}
