import Foundation
import PluginABI

/// Finds `*.so` files in the plugin directory and accepts those that are safe
/// and speak our ABI. Every refusal is one line naming the file and why; the
/// daemon goes on with the plugins that loaded.
public enum PluginLoader {
    public static let hostMajor = UInt32(SIEM_ABI_MAJOR)
    public static let hostMinor = UInt32(SIEM_ABI_MINOR)
    /// The size of a 1.0 descriptor: anything smaller cannot be read safely.
    static let minimumDescriptorSize = MemoryLayout<siem_plugin_descriptor>.size

    /// Loads every plugin in `directory`, in file-name order.
    /// `requireRootOwned` (on when running as root) refuses files and
    /// directories that someone other than root could have written.
    public static func load(directory: String, requireRootOwned: Bool = geteuid() == 0)
        -> (plugins: [PluginFile], refused: [PluginRefusal])
    {
        var plugins: [PluginFile] = []
        var refused: [PluginRefusal] = []
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            let reason = access(directory, F_OK) == 0 ? "cannot be read" : "does not exist"
            refused.append(PluginRefusal(path: directory, reason: "plugin directory \(reason) (set plugin_dir or --plugin-dir)"))
            return (plugins, refused)
        }
        if requireRootOwned, let problem = FileSafety.problem(path: directory, isDirectory: true) {
            refused.append(PluginRefusal(path: directory, reason: problem))
            return (plugins, refused)
        }
        for name in names.sorted() where name.hasSuffix(".so") {
            let path = directory + "/" + name
            switch loadOne(path: path, requireRootOwned: requireRootOwned) {
            case .success(let plugin):
                if let first = plugins.first(where: { $0.name == plugin.name }) {
                    refused.append(PluginRefusal(
                        path: path, reason: "a plugin named \(plugin.name) is already loaded from \(first.path)"))
                } else {
                    plugins.append(plugin)
                }
            case .failure(let refusal):
                refused.append(refusal)
            }
        }
        return (plugins, refused)
    }

    /// Checks one file and resolves its descriptor.
    public static func loadOne(path: String, requireRootOwned: Bool) -> Result<PluginFile, PluginRefusal> {
        func refuse(_ reason: String) -> Result<PluginFile, PluginRefusal> {
            .failure(PluginRefusal(path: path, reason: reason))
        }
        if requireRootOwned, let problem = FileSafety.problem(path: path, isDirectory: false) {
            return refuse(problem)
        }
        guard FileSafety.isELF(path: path) else { return refuse("not a shared object (no ELF header)") }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            return refuse("dlopen failed: \(dlerror().map { String(cString: $0) } ?? "unknown error")")
        }
        // Never dlclose: the handle lives as long as the process.
        guard let symbol = dlsym(handle, SIEM_PLUGIN_ENTRY_SYMBOL) else {
            return refuse("no entry symbol \(SIEM_PLUGIN_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: siem_plugin_entry_fn.self)
        guard let d = entry(hostMajor, hostMinor) else {
            return refuse("the plugin declined host ABI \(hostMajor).\(hostMinor)")
        }
        let desc = d.pointee
        guard desc.abi_major == hostMajor else {
            return refuse("ABI major mismatch: plugin \(desc.abi_major).\(desc.abi_minor), host \(hostMajor).\(hostMinor)")
        }
        guard desc.abi_minor <= hostMinor else {
            return refuse("plugin ABI minor is newer than the host's: plugin \(desc.abi_major).\(desc.abi_minor), host \(hostMajor).\(hostMinor)")
        }
        guard Int(desc.struct_size) >= minimumDescriptorSize else {
            return refuse("descriptor too small (\(desc.struct_size) bytes, ABI 1.0 needs \(minimumDescriptorSize))")
        }
        guard let cName = desc.name, desc.version != nil, desc.description != nil else {
            return refuse("descriptor lacks name, version or description")
        }
        guard desc.create != nil, desc.start != nil, desc.stop != nil, desc.destroy != nil else {
            return refuse("descriptor lacks a required function (create, start, stop, destroy)")
        }
        let name = String(cString: cName)
        guard !name.isEmpty, name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }) else {
            return refuse("invalid plugin name \"\(name)\" (allowed: a-z, 0-9, _)")
        }
        return .success(PluginFile(path: path, descriptor: d))
    }
}
