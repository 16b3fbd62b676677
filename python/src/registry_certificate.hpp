// The serial under which a registry holds a certificate given from Python, for the
// credential functions that take the registry (their status entry needs its place).
#pragma once

#include <string>

#include "balai/core/error.hpp"
#include "balai/tracking/certificate.hpp"

namespace balai::python {

// UnknownReferenceError when the registry never issued the serial; ValidationError when
// it holds another certificate under it (an edited copy would otherwise be replaced
// silently by the registry's own).
inline const std::string& registry_serial(const CertificateRegistry& registry,
                                          const Certificate& certificate) {
  const CertificateRecord* record = registry.find(certificate.serial);
  if (record == nullptr) throw UnknownReferenceError("certificate", certificate.serial);
  if (record->certificate != certificate) {
    throw ValidationError(Problem{"certificate " + certificate.serial, "certificate", "",
                                  "differs from the registry's certificate of that serial"});
  }
  return certificate.serial;
}

}  // namespace balai::python
