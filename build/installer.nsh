; Included by electron-builder's NSIS installer (nsis.include in build/electron-builder.config.mjs).
;
; Discovery listens for mDNS answers on UDP 5353. Windows Defender Firewall drops them unless a rule lets the
; app receive them; its first-run prompt is easy to dismiss, and after that discovery just stays empty. So the
; (per-machine, elevated) installer adds the rule itself, for this program only, for answers from the local
; subnet, on every network profile: a lab's link-local network is usually classed "Public".

!define PWS_FIREWALL_RULE "${PRODUCT_NAME} (mDNS discovery, UDP 5353)"

!macro customInstall
  ; Remove first, so a reinstall or an update never leaves two copies of the rule.
  nsExec::Exec 'netsh advfirewall firewall delete rule name="${PWS_FIREWALL_RULE}"'
  Pop $0
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${PWS_FIREWALL_RULE}" dir=in action=allow protocol=UDP localport=5353 remoteip=localsubnet profile=any program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" enable=yes'
  Pop $0
  ${If} $0 != 0
    DetailPrint "Could not add the Windows Firewall rule for device discovery (netsh exit code $0). Allow UDP port 5353 for ${PRODUCT_NAME} in Windows Defender Firewall, or discovery finds no boards."
  ${EndIf}
!macroend

!macro customUnInstall
  nsExec::Exec 'netsh advfirewall firewall delete rule name="${PWS_FIREWALL_RULE}"'
  Pop $0
!macroend
