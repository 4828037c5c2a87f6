/** jsdom has <dialog> but not its modal methods; this gives it the part the app's Dialog uses (open and close). */
export function giveJsdomModalDialogs(): void {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
}
