import Foundation
import Hummingbird
import Mustache
import NIOCore

/// The page templates (`Web/Templates/*.mustache`) and static assets (`Web/Static`), loaded once
/// from the package's resources. `{{ }}` escapes every value; a template never uses `{{{ }}}`
/// for anything a person typed (only for SVG the server drew, whose text is escaped by ``SVG``).
struct WebTemplates: Sendable {
    let library: MustacheLibrary
    /// Static files by name, with their content type.
    let assets: [String: (type: String, bytes: [UInt8])]

    static func load() throws -> WebTemplates {
        var library = MustacheLibrary()
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let statics = Bundle.module.url(forResource: "Static", withExtension: nil)
        else { throw WebSetupError(description: "the web templates are missing from the package's resources") }
        for name in try FileManager.default.contentsOfDirectory(atPath: templates.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        var assets: [String: (type: String, bytes: [UInt8])] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]
        for name in try FileManager.default.contentsOfDirectory(atPath: statics.path) {
            guard let type = types[(name as NSString).pathExtension] else { continue }
            assets[name] = (type, Array(try Data(contentsOf: statics.appendingPathComponent(name))))
        }
        return WebTemplates(library: library, assets: assets)
    }

    /// The page `template` rendered with `values`.
    /// Blank strings are dropped first: in swift-mustache an empty string opens a section, and a
    /// page means "nothing to show" by it.
    func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(Self.clean(values) as Any, withTemplate: template) ?? "template \(template) is missing"
    }

    static func clean(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text.isEmpty ? nil : text
        case let object as [String: Any]: return object.compactMapValues { clean($0) }
        case let object as [String: String]: return object.filter { !$0.value.isEmpty }
        case let list as [[String: Any]]: return list.map { $0.compactMapValues { clean($0) } }
        case let list as [[String: String]]: return list.map { $0.filter { !$0.value.isEmpty } }
        default: return value
        }
    }
}

struct WebSetupError: Error, CustomStringConvertible {
    var description: String
}

/// HTML responses.
enum HTML {
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 See Other to a local path (never another site).
    static func redirect(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: safeLocal(path) ?? "/"])
    }

    /// `path` when it is a path on this site (`/…`, not `//…`), else nil.
    static func safeLocal(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.utf8.count <= 500,
            path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
        else { return nil }
        return path
    }

    /// Escapes text for HTML (for the server-drawn SVG; templates escape by themselves).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline show as nothing harmful: a replacement sign.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || scalar.value == 0x7f {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
