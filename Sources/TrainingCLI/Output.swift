import Foundation

/// Printing for people (aligned tables, lines) and for programs (JSON).
///
/// Everything stored is printed through ``Output/safe(_:)``: names and narratives keep whatever
/// was typed, but control characters (which could clear a reviewer's screen or rewrite what it
/// shows) and invisible direction overrides print as visible escapes.
enum Output {
    /// Prints rows as columns aligned under their headers; every cell is made safe.
    static func table(_ headers: [String], _ rows: [[String]]) {
        let rows = rows.map { $0.map(safe) }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(headers))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { print(line(row)) }
    }

    /// JSON escapes control characters itself.
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func date(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
    }

    static func abbreviate(_ text: String, to length: Int = 60) -> String {
        text.count > length ? String(text.prefix(length - 1)) + "…" : text
    }

    /// Writes a line to standard error (progress and notices, kept out of piped output).
    static func note(_ text: SafeLine) {
        FileHandle.standardError.write(Data((text.text + "\n").utf8))
    }

    /// `text` with C0 and C1 control characters, DEL and bidirectional overrides written as
    /// `\u{…}` escapes.
    static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

/// A line for people: the literal text as written, every interpolated value made safe.
struct SafeLine: ExpressibleByStringInterpolation {
    var text: String

    init(stringLiteral value: String) { text = value }
    init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    struct Interpolation: StringInterpolationProtocol {
        var text = ""
        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity) }
        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ value: some CustomStringConvertible) { text += Output.safe(value.description) }
        mutating func appendInterpolation(_ value: String) { text += Output.safe(value) }
    }
}

/// Prints a line for people, values made safe.
func say(_ line: SafeLine) { print(line.text) }

/// A problem with what the user asked for, found while running: printed as one line, exit 1.
struct UserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
