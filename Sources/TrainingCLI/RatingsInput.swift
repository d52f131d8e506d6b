import CompactJSON
import Foundation
import TrainingDomain
import TrainingServices

/// DOR ratings from `category=rating` options and/or a file: a JSON object of category to a
/// number or "N/O" / "NRT", or a CSV file with a header row `category,rating` (RFC 4180 quoting;
/// a UTF-8 byte-order mark, as Excel writes one, is allowed). A file is all or nothing: one bad
/// row and nothing is recorded.
enum RatingsInput {
    static func parse(_ pairs: [String], file: String?) throws -> [Category: Rating] {
        var ratings = Ratings()
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw UserError("--rating \"\(pair)\" must be CATEGORY=RATING, e.g. report_writing=4") }
            try ratings.add(parts[0], parts[1], at: "--rating")
        }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw UserError("--ratings-file: cannot read \(file)") }
            if Self.looksLikeJSON(data) || file.lowercased().hasSuffix(".json") {
                try readJSON(data, file: file, into: &ratings)
            } else {
                try readCSV(data, file: file, into: &ratings)
            }
        }
        guard !ratings.values.isEmpty else { throw UserError("give ratings with --rating CATEGORY=RATING or --ratings-file FILE") }
        return ratings.values
    }

    struct Ratings {
        var values: [Category: Rating] = [:]

        mutating func add(_ category: String, _ text: String, at place: String) throws {
            let category = category.trimmingCharacters(in: .whitespaces)
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !category.isEmpty else { throw UserError("\(place): a rating needs a category") }
            guard let rating = Rating(text: text) else {
                throw UserError("\(place): rating \"\(text)\" for \"\(category)\" must be 1–7, N/O or NRT; nothing was recorded")
            }
            guard values[Category(category)] == nil else { throw UserError("\(place): \(category) is rated twice; nothing was recorded") }
            values[Category(category)] = rating
        }
    }

    static func looksLikeJSON(_ data: Data) -> Bool {
        let first = data.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }.first
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    /// A rating in JSON: a whole number or one of the two marks; anything else (true, 4.5, an
    /// array) is refused rather than guessed at.
    struct JSONRating: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                text = String(number)
            } else if let mark = try? container.decode(String.self), mark == Rating.notObservedText || mark == Rating.notRespondingText {
                text = mark
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a rating is a number 1–7, \"N/O\" or \"NRT\"")
            }
        }
    }

    static func readJSON(_ data: Data, file: String, into ratings: inout Ratings) throws {
        let object: [String: JSONRating]
        do {
            // The strict decoder refuses duplicate keys, which Foundation would silently merge.
            object = try CompactJSONDecoder().decode([String: JSONRating].self, from: Array(data))
        } catch {
            throw UserError(
                "\(file): must be one JSON object of category: rating, each a number 1–7, \"N/O\" or \"NRT\", no category twice (\(Self.reason(error))); nothing was recorded"
            )
        }
        for (category, rating) in object.sorted(by: { $0.key < $1.key }) { try ratings.add(category, rating.text, at: file) }
    }

    static func readCSV(_ data: Data, file: String, into ratings: inout Ratings) throws {
        let rows: [CSVRows.Row]
        do {
            rows = try CSVRows.parse(data)
        } catch let error as CSVRows.Problem {
            throw UserError("\(file) line \(error.line): \(error.reason); nothing was recorded")
        }
        guard let header = rows.first, header.fields.map({ $0.lowercased().trimmingCharacters(in: .whitespaces) }) == ["category", "rating"] else {
            throw UserError("\(file): the first line must be the header category,rating; nothing was recorded")
        }
        for row in rows.dropFirst() {
            guard row.fields.count == 2 else {
                throw UserError("\(file) line \(row.line): expected category,rating but found \(row.fields.count) fields; nothing was recorded")
            }
            try ratings.add(row.fields[0], row.fields[1], at: "\(file) line \(row.line)")
        }
    }

    static func reason(_ error: any Error) -> String {
        if error is DecodingError { return EventCodec.describe(error) }
        return "not valid JSON"
    }
}
