import PluginKit
#if canImport(Glibc)
import Glibc
#endif

/// A failed C call as an error: "WHAT: CALL failed: <strerror(code)>".
func systemError(_ what: String, _ call: String, _ code: Int32) -> PluginError {
    PluginError("\(what): \(call) failed: \(String(cString: strerror(code)))")
}
