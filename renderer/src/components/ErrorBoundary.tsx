// A screen that throws shows a calm message instead of a blank window; the rest of the app
// (navigation, sync status) keeps working. Nothing of the error is shown: it may hold data.
import { Component, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <div role="alert" className="error-message">
            <p>{t('errorBoundary')}</p>
            <button type="button" onClick={() => this.setState({ failed: false })}>
              {t('retry')}
            </button>
          </div>
        )}
      </Translation>
    );
  }
}
